package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The seed's story on six hosts over a bad internet (every line 40 ± 10 ms and 5% loss, so 80 ms one way and about
 * 10% loss between two hosts): three bootstrap nodes on public hosts; Agent A on a public host, Agent B behind a cone
 * NAT, Agent C behind a symmetric NAT, all three as client-mode agents through the real {@code dialtone} CLI.
 */
class StoryAcrossNatsTest {
  private static final Duration COMMAND = Duration.ofSeconds(180);

  @Test
  void theStoryWorksAcrossNatsDelayAndLoss() throws Exception {
    Testbeds.requireNetns();
    LabSpec spec = LabSpec.builder().links(LinkSpec.delay(40, 10).withLoss(5)).seed(11)
        .publicHosts("boot1", "boot2", "boot3", "alice")
        .router("homeb", NatType.CONE).lanHost("bob", "homeb")
        .router("homec", NatType.SYMMETRIC).lanHost("carol", "homec")
        .build();
    try (Lab lab = Lab.start(spec, Path.of("target/testbed/story"))) {
      long t0 = System.nanoTime();
      LabHost b1 = lab.host("boot1");
      String seed1 = b1.address() + ":7440";
      LabProcess n1 = b1.startNode("node", 7440, 8440, List.of()).awaitReady(Duration.ofSeconds(60));
      LabProcess n2 = lab.host("boot2").startNode("node", 7440, 8440, List.of(seed1));
      LabProcess n3 = lab.host("boot3").startNode("node", 7440, 8440, List.of(seed1));
      n2.awaitReady(Duration.ofSeconds(60));
      n3.awaitReady(Duration.ofSeconds(60));
      String seeds = seed1 + "," + lab.host("boot2").address() + ":7440," + lab.host("boot3").address() + ":7440";

      // B, behind the cone NAT, watches 23: it must hear A join.
      LabProcess watch = lab.host("bob").start("watch", List.of("watch", "744-196884-23", "--for", "300",
          "--timeout", "60", "--bootstrap", seeds));
      watch.awaitOutput("watching 744-196884-23", COMMAND);

      LabProcess announceA = lab.host("alice").start("announce", List.of("announce", "744-196884-23",
          "--name", "Agent A", "--interest", "crypto", "--for", "300", "--timeout", "60", "--bootstrap", seeds));
      announceA.awaitOutput("announced on 744-196884-23", COMMAND);
      watch.awaitOutput("Agent A", COMMAND);

      // A's host shares 47 while B announces itself and then hosts 53: two agents publishing at once. The share is
      // a second profile on alice's host: A's own profile is busy announcing, and one profile publishes one thing.
      var share = Testbeds.onOwnThread("story-command", () -> lab.host("alice").run(COMMAND, "share",
          "744-196884-47", "--from", "744-196884-23", "--note", "try 47", "--interest", "crypto", "--as", "sharer",
          "--name", "Agent A2", "--once", "--timeout", "60", "--bootstrap", seeds));
      var announceB = ok(lab.host("bob").run(COMMAND, "announce", "744-196884-23", "--name", "Agent B",
          "--once", "--json", "--timeout", "60", "--bootstrap", seeds));
      String keyB = Testbeds.jsonField(announceB.output(), "agent");
      ok(lab.host("bob").run(COMMAND, "host", "744-196884-53", "--services", "crypto,games", "--name", "Agent B",
          "--endpoint", "ws://" + lab.host("bob").internetAddress() + ":8053", "--once", "--timeout", "60",
          "--bootstrap", seeds));
      ok(share.join());
      watch.awaitOutput("Agent B", COMMAND);

      // C, behind the symmetric NAT, discovers (which makes C's key), then finds and requests (run at once).
      LabHost carol = lab.host("carol");
      // DISCOVER is a lookup over lossy lines: a roster can miss a record that fewer nodes answered with. Dial
      // again until both agents are listed (the attempts are reported: more than one is a finding, not noise).
      LabHost.Retried dialRetried = carol.runUntil(COMMAND, out -> out.contains("Agent A") && out.contains("Agent B"),
          "dial", "744-196884-23", "--timeout", "60", "--bootstrap", seeds);
      int dialAttempts = dialRetried.attempts();
      LabProcess.Outcome dialOutcome = dialRetried.outcome();
      var dial = CompletableFuture.completedFuture(dialOutcome);
      // FIND and NUMBERS read index records just written over the same lossy lines: asked again like DIAL.
      var find = Testbeds.onOwnThread("story-command", () -> untilListed(carol, "Agent A", "find",
          "--interest", "crypto", "--timeout", "60", "--bootstrap", seeds));
      var numbers = Testbeds.onOwnThread("story-command", () -> untilListed(carol, "744-196884-53", "numbers",
          "--service", "games", "--timeout", "60", "--bootstrap", seeds));
      var request = Testbeds.onOwnThread("story-command", () -> carol.run(COMMAND, "request", keyB,
          "--timeout", "60", "--bootstrap", seeds));
      String dialed = ok(dial.join()).output();
      assertTrue(dialed.contains("Agent A") && dialed.contains("Agent B"), dialed);
      assertTrue(dialed.contains("744-196884-47"), "the share of 47 is on 23: " + dialed);
      String found = ok(find.join()).output();
      assertTrue(found.contains("Agent A"), found);
      String listed = ok(numbers.join()).output();
      assertTrue(listed.contains("744-196884-53"), listed);
      // REQUEST finds B's agent record. Each CLI session of B (announce, then host) publishes that record with
      // its own numbers; which one a reader gets depends on their sequence numbers, so either of B's numbers.
      String requested = ok(request.join()).output();
      assertTrue(requested.contains("Agent B") && requested.contains(keyB)
          && (requested.contains("744-196884-53") || requested.contains("744-196884-23")), requested);

      // Every node's gateway sees A, through its own lookups over the same lines.
      for (String boot : List.of("boot1", "boot2", "boot3")) {
        LabHost h = lab.host(boot);
        var reply = h.httpGet(h.address(), 8440, "/dial/744-196884-23", Duration.ofSeconds(30));
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.body().contains("Agent A"), boot + ": " + reply.body());
      }
      announceA.stop(Duration.ofSeconds(30));
      watch.awaitOutput("LEFT", COMMAND);
      Metrics.save(lab, List.of(n1, n2, n3), 8440);
      Results.record("story", String.format("6 hosts (cone and symmetric NAT), lines 40±10 ms 5%% loss: "
          + "announce, watch, host, share, dial, find, numbers, request all worked in %.0f s (dial listed both "
          + "agents at attempt %d)", (System.nanoTime() - t0) / 1e9, dialAttempts));
    }
  }

  private static LabProcess.Outcome ok(LabProcess.Outcome o) {
    assertEquals(0, o.exitCode(), o.output());
    return o;
  }

  /** Runs {@code args} on {@code host} until its output lists {@code expected} (see {@link LabHost#runUntil}). */
  private static LabProcess.Outcome untilListed(LabHost host, String expected, String... args) {
    LabHost.Retried r = host.runUntil(COMMAND, out -> out.contains(expected), args);
    System.out.printf("testbed story: '%s' listed %s after %d attempt(s)%n", args[0], expected, r.attempts());
    return r.outcome();
  }
}
