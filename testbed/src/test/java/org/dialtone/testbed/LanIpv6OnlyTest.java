package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dialtone.testbed.linux.Shell;
import org.junit.jupiter.api.Test;

/**
 * Zero configuration on an IPv6-only LAN: three hosts of one bridge whose IPv4 addresses the test removes, each with
 * a unique local address of one /64 (fd77:ee::/64, inside the lab's namespaces), start nodes on that address with no
 * bootstrap flag. They find each other by mDNS over IPv6 (ff02::fb) and form one DHT; agent commands with no
 * bootstrap flag find a node the same way and run the seed's story (announce, dial).
 */
class LanIpv6OnlyTest {
  private static final Duration COMMAND = Duration.ofSeconds(120);
  private static final List<String> HOSTS = List.of("c1", "c2", "c3");

  @Test
  void nodesOnAnIpv6OnlyLanMeetWithoutBootstrap() throws Exception {
    Testbeds.requireNetns();
    LabSpec.Builder b = LabSpec.builder().router("lanc", NatType.NONE);
    HOSTS.forEach(h -> b.lanHost(h, "lanc"));
    try (Lab lab = Lab.start(b.build(), Path.of("target/testbed/lan-ipv6"))) {
      List<String> addresses = new ArrayList<>();
      for (int i = 0; i < HOSTS.size(); i++) {
        LabHost h = lab.host(HOSTS.get(i));
        String v6 = "fd77:ee::" + (11 + i);
        Shell.run("ip", "-n", h.namespace(), "addr", "add", v6 + "/64", "dev", "eth0", "nodad");
        Shell.run("ip", "-n", h.namespace(), "addr", "del", h.address() + "/24", "dev", "eth0"); // IPv6 only now
        addresses.add(v6);
      }
      long t0 = System.nanoTime();
      List<LabProcess> nodes = new ArrayList<>();
      for (int i = 0; i < HOSTS.size(); i++) {
        LabHost h = lab.host(HOSTS.get(i));
        nodes.add(h.start("node", List.of("node", "--host", addresses.get(i), "--port", "7440", "--http-port",
            "8440", "--data-dir", h.dir().resolve("node").toString(), "--flush-interval", "1"))); // no --bootstrap
      }
      for (LabProcess n : nodes) {
        n.awaitReady(Cluster.READY);
        n.awaitOutput("event=lan.started links=eth0", COMMAND);
      }
      double readySeconds = (System.nanoTime() - t0) / 1e9;
      // One network: each node verified both others over IPv6 (they met on ff02::fb and proved their keys).
      for (LabProcess n : nodes) {
        n.awaitOutput("contacts=" + (HOSTS.size() - 1), COMMAND);
      }
      double formedSeconds = (System.nanoTime() - t0) / 1e9;
      for (LabProcess n : nodes) {
        assertTrue(n.output().contains("fd77:ee:0:0:0:0:0:1"), "no IPv6 LAN peer named in " + n.output());
      }

      LabProcess announce = lab.host("c1").start("announce", List.of("announce", "744-196884-23", "--name",
          "Agent A", "--for", "300", "--timeout", "60"));
      announce.awaitOutput("announced on 744-196884-23", COMMAND);
      LabHost.Retried dial = lab.host("c3").runUntil(COMMAND, out -> out.contains("Agent A"), "dial",
          "744-196884-23", "--timeout", "60");
      assertTrue(dial.outcome().output().contains("Agent A"), dial.outcome().output());
      double foundSeconds = (System.nanoTime() - t0) / 1e9;

      String results = String.format("lan-ipv6: 3 nodes on an IPv6-only LAN with no bootstrap flag ready in %.1f s, "
          + "one network (2 contacts each) %.1f s after their start; a record announced and found (dial, %d "
          + "attempt(s)) %.1f s after their start%n", readySeconds, formedSeconds, dial.attempts(), foundSeconds);
      System.out.print(results);
      Files.writeString(lab.dir().resolve("results.txt"), results);
      assertEquals(0, nodes.stream().filter(n -> !n.isAlive()).count(), "a node died");
    }
  }
}
