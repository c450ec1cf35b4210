package org.dialtone.testbed;

import static org.dialtone.testbed.LabHost.hostPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * IPv6 in the testbed: hosts with unique local addresses (fd77::/16, configured only inside the lab's namespaces).
 * An IPv6-only network runs the seed's story through real {@code dialtone} processes; and in a mixed network an
 * IPv4-only host and an IPv6-only host find each other's records through dual-stack nodes.
 */
class Ipv6LabTest {
  private static final Duration COMMAND = Duration.ofSeconds(120);
  private static final Duration READY = Duration.ofSeconds(90);

  @Test
  void theStoryWorksOnAnIpv6OnlyNetwork() throws Exception {
    Testbeds.requireNetns();
    LabSpec spec = LabSpec.builder().links(LinkSpec.delay(10, 2)).seed(15)
        .ipv6Hosts("boot1", "boot2", "alice", "bob").build();
    try (Lab lab = Lab.start(spec, Path.of("target/testbed/ipv6-story"))) {
      long t0 = System.nanoTime();
      LabHost b1 = lab.host("boot1");
      LabHost b2 = lab.host("boot2");
      assertTrue(b1.address().startsWith("fd77:") && b1.ipv6Address().isPresent(), b1.address());
      String seed1 = hostPort(b1.address(), 7440);
      b1.startNode("node", 7440, 8440, List.of()).awaitReady(READY);
      b2.startNode("node", 7440, 8440, List.of(seed1)).awaitReady(READY);
      String seeds = seed1 + "," + hostPort(b2.address(), 7440);

      LabProcess announceA = lab.host("alice").start("announce", List.of("announce", "744-196884-23",
          "--name", "Agent A", "--interest", "crypto", "--for", "300", "--timeout", "60", "--bootstrap", seeds));
      announceA.awaitOutput("announced on 744-196884-23", COMMAND);
      LabHost bob = lab.host("bob");
      String keyB = field(ok(bob.run(COMMAND, "host", "744-196884-53", "--services", "games", "--name", "Agent B",
          "--endpoint", "ws://" + hostPort(bob.address(), 8053), "--once", "--json", "--timeout", "60",
          "--bootstrap", seeds)).output(), "agent");
      String dialed = untilListed(bob, "Agent A", "dial", "744-196884-23", "--timeout", "60", "--bootstrap", seeds);
      String found = untilListed(bob, "Agent A", "find", "--interest", "crypto", "--timeout", "60",
          "--bootstrap", seeds);
      String listed = untilListed(lab.host("alice"), "744-196884-53", "numbers", "--service", "games",
          "--timeout", "60", "--bootstrap", seeds);
      String requested = untilListed(lab.host("alice"), "Agent B", "request", keyB, "--timeout", "60",
          "--bootstrap", seeds);
      assertTrue(dialed.contains("Agent A"), dialed);
      assertTrue(found.contains("Agent A"), found);
      assertTrue(listed.contains("744-196884-53"), listed);
      assertTrue(requested.contains("Agent B") && requested.contains("fd77:"), "B's endpoint over IPv6: " + requested);
      var reply = b2.httpGet(b2.address(), 8440, "/dial/744-196884-23", Duration.ofSeconds(30));
      assertEquals(200, reply.status(), reply.body());
      assertTrue(reply.body().contains("Agent A"), reply.body());
      announceA.stop(Duration.ofSeconds(30));
      Results.record("ipv6-story", String.format("IPv6 only (fd77::/16), 4 hosts, lines 10±2 ms: announce, host, "
          + "dial, find, numbers, request and the gateway's dial worked in %.0f s", (System.nanoTime() - t0) / 1e9));
    }
  }

  @Test
  void anIpv4OnlyAndAnIpv6OnlyHostFindEachOthersRecordsThroughDualStackNodes() throws Exception {
    Testbeds.requireNetns();
    LabSpec spec = LabSpec.builder().links(LinkSpec.delay(10, 2)).seed(16)
        .dualStackHosts("boot1", "boot2").publicHosts("four").ipv6Hosts("six").build();
    try (Lab lab = Lab.start(spec, Path.of("target/testbed/ipv6-mixed"))) {
      long t0 = System.nanoTime();
      LabHost b1 = lab.host("boot1");
      LabHost b2 = lab.host("boot2");
      assertTrue(b1.nodeHost().contains(",fd77:"), "a dual-stack node binds both: " + b1.nodeHost());
      String b1v4 = hostPort(b1.address(), 7440);
      String b1v6 = hostPort(b1.ipv6Address().orElseThrow(), 7440);
      b1.startNode("node", 7440, 8440, List.of()).awaitReady(READY);
      b2.startNode("node", 7440, 8440, List.of(b1v4, b1v6)).awaitReady(READY);
      String seeds4 = b1v4 + "," + hostPort(b2.address(), 7440);
      String seeds6 = b1v6 + "," + hostPort(b2.ipv6Address().orElseThrow(), 7440);
      LabHost four = lab.host("four");
      LabHost six = lab.host("six");
      assertTrue(four.ipv6Address().isEmpty() && six.address().startsWith("fd77:"));

      ok(four.run(COMMAND, "announce", "744-196884-23", "--name", "Agent Four", "--once", "--timeout", "60",
          "--bootstrap", seeds4));
      ok(six.run(COMMAND, "announce", "744-196884-23", "--name", "Agent Six", "--once", "--timeout", "60",
          "--bootstrap", seeds6));
      String atSix = untilListed(six, "Agent Four", "dial", "744-196884-23", "--timeout", "60",
          "--bootstrap", seeds6);
      String atFour = untilListed(four, "Agent Six", "dial", "744-196884-23", "--timeout", "60",
          "--bootstrap", seeds4);
      assertTrue(atSix.contains("Agent Four"), "the IPv6-only host found the IPv4-only host's record: " + atSix);
      assertTrue(atFour.contains("Agent Six"), "the IPv4-only host found the IPv6-only host's record: " + atFour);
      Results.record("ipv6-mixed", String.format("an IPv4-only and an IPv6-only host found each other's records "
          + "through 2 dual-stack nodes in %.0f s", (System.nanoTime() - t0) / 1e9));
    }
  }

  private static LabProcess.Outcome ok(LabProcess.Outcome o) {
    assertEquals(0, o.exitCode(), o.output());
    return o;
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    assertTrue(m.find(), "no " + name + " in " + json);
    return m.group(1);
  }

  /** Runs {@code args} on {@code host} until its output contains {@code expected}, at most three times. */
  private static String untilListed(LabHost host, String expected, String... args) {
    LabProcess.Outcome outcome;
    int attempts = 0;
    do {
      attempts++;
      outcome = ok(host.run(COMMAND, args));
    } while (!outcome.output().contains(expected) && attempts < 3);
    return outcome.output();
  }
}
