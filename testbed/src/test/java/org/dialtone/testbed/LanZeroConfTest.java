package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dialtone.node.lan.LanDiscovery;
import org.dialtone.node.lan.MdnsCodec;
import org.junit.jupiter.api.Test;

/**
 * Zero configuration on a LAN: five hosts on one LAN bridge start nodes with no bootstrap flag, find each other by
 * mDNS and form one DHT; agent commands with no bootstrap flag find a LAN node and run the seed's story (announce,
 * dial). A host on that LAN floods it with hostile mDNS adverts, which are counted and trusted by no one. A second
 * LAN behind another router does not hear them (multicast DNS stays on its link), yet joins the same DHT through a
 * node of the first LAN given as {@code --bootstrap}.
 */
class LanZeroConfTest {
  private static final Duration COMMAND = Duration.ofSeconds(120);
  private static final List<String> LAN_A = List.of("a1", "a2", "a3", "a4", "a5");
  private static final List<String> LAN_B = List.of("b1", "b2");

  @Test
  void nodesOnALanMeetWithoutBootstrapAndASecondLanJoinsThroughABootstrapNode() throws Exception {
    Testbeds.requireNetns();
    LabSpec.Builder b = LabSpec.builder().router("lana", NatType.NONE);
    LAN_A.forEach(h -> b.lanHost(h, "lana"));
    b.lanHost("mallory", "lana");
    b.router("lanb", NatType.NONE);
    LAN_B.forEach(h -> b.lanHost(h, "lanb"));
    try (Lab lab = Lab.start(b.build(), Path.of("target/testbed/lan"))) {
      long t0 = System.nanoTime();
      List<LabProcess> nodesA = new ArrayList<>();
      for (String h : LAN_A) {
        nodesA.add(lab.host(h).startNode("node", 7440, 8440, List.of())); // no --bootstrap
      }
      for (LabProcess n : nodesA) {
        n.awaitReady(Cluster.READY);
      }
      double readySeconds = (System.nanoTime() - t0) / 1e9; // JVMs started, sockets bound: each a network of one
      // One network: every node's routing table holds the four others (they met by mDNS, and proved their keys).
      for (LabProcess n : nodesA) {
        awaitStatus(n, s -> intField(s, "routingTable") >= LAN_A.size() - 1, "4 contacts");
      }
      double formedSeconds = (System.nanoTime() - t0) / 1e9;

      // Hostile adverts from a host on the same link: forged ids, absurd ports, a flood of made-up ids.
      int hostile = flood(lab.host("mallory"), status(nodesA.get(0)));

      // The seed's story with no --bootstrap: each agent command asks the LAN for a node.
      LabProcess announce = lab.host("a1").start("announce", List.of("announce", "744-196884-23", "--name",
          "Agent A", "--for", "300", "--timeout", "60"));
      announce.awaitOutput("announced on 744-196884-23", COMMAND);
      LabProcess.Outcome dial = untilListed(lab.host("a5"), "Agent A", "dial", "744-196884-23", "--timeout", "60");
      assertTrue(dial.output().contains("Agent A"), dial.output());
      double foundSeconds = (System.nanoTime() - t0) / 1e9;

      for (LabProcess n : nodesA) {
        String s = status(n);
        assertTrue(!s.contains(lab.host("mallory").address() + ":"), "mallory is trusted by " + n + ": " + s);
        assertTrue(refused(metrics(n)) > 0, "nothing refused by " + n);
      }

      // The second LAN: its nodes join through a node of the first; mDNS does not cross the router.
      String seed = lab.host("a1").address() + ":7440";
      List<LabProcess> nodesB = new ArrayList<>();
      for (String h : LAN_B) {
        nodesB.add(lab.host(h).startNode("node", 7440, 8440, List.of(seed)));
      }
      for (LabProcess n : nodesB) {
        n.awaitReady(Cluster.READY);
      }
      LabProcess.Outcome dialB = untilListed(lab.host("b2"), "Agent A", "dial", "744-196884-23", "--timeout",
          "60");
      assertTrue(dialB.output().contains("Agent A"), dialB.output());
      awaitStatus(nodesB.get(0), s -> s.contains("\"verifiedPeers\":[\"" + bracketless(lab.host("b2"))),
          "its LAN neighbour b2 verified");
      for (LabProcess n : nodesB) {
        assertTrue(!status(n).matches("(?s).*\"verifiedPeers\":\\[[^\\]]*192\\.168\\.1\\..*"),
            n + " heard LAN A over mDNS: " + status(n));
      }
      for (LabProcess n : nodesA) {
        assertTrue(!status(n).matches("(?s).*\"verifiedPeers\":\\[[^\\]]*192\\.168\\.2\\..*"),
            n + " heard LAN B over mDNS: " + status(n));
      }

      // Figures: time to form and to find, and what mDNS cost each node of LAN A per minute, start included.
      StringBuilder out = new StringBuilder();
      out.append(String.format("lan: 5 nodes with no bootstrap flag started (all ready, alone) in %.1f s, formed one "
          + "network (4 contacts each) %.1f s after their start; a record announced and found (dial) %.1f s after "
          + "their start%n", readySeconds, formedSeconds, foundSeconds));
      out.append(String.format("lan: hostile mDNS packets sent by mallory: %d%n", hostile));
      for (LabProcess n : nodesA) {
        String m = metrics(n);
        double minutes = intField(status(n), "uptimeSeconds") / 60.0;
        out.append(String.format("lan: %s: out %.1f packets/min %.0f bytes/min; in %.1f packets/min %.0f bytes/min "
            + "(uptime %.1f min); refused %d%n", n.host().name(),
            counter(m, "dialtone_lan_packets_total{direction=\"out\"}") / minutes,
            counter(m, "dialtone_lan_bytes_total{direction=\"out\"}") / minutes,
            counter(m, "dialtone_lan_packets_total{direction=\"in\"}") / minutes,
            counter(m, "dialtone_lan_bytes_total{direction=\"in\"}") / minutes, minutes, refused(m)));
      }
      long window = Long.getLong("dialtone.lan.window", 0);
      if (window > 0) { // a steady-state figure on request: counters over a quiet window
        List<double[]> before = new ArrayList<>();
        for (LabProcess n : nodesA) {
          String m = metrics(n);
          before.add(new double[] {counter(m, "dialtone_lan_packets_total{direction=\"out\"}"),
              counter(m, "dialtone_lan_bytes_total{direction=\"out\"}")});
        }
        long end = System.nanoTime() + Duration.ofSeconds(window).toNanos();
        while (System.nanoTime() < end) {
          LabHost.sleepBriefly();
        }
        for (int i = 0; i < nodesA.size(); i++) {
          String m = metrics(nodesA.get(i));
          double perMin = 60.0 / window;
          out.append(String.format("lan: steady %s: out %.1f packets/min %.0f bytes/min over %d s%n",
              nodesA.get(i).host().name(),
              (counter(m, "dialtone_lan_packets_total{direction=\"out\"}") - before.get(i)[0]) * perMin,
              (counter(m, "dialtone_lan_bytes_total{direction=\"out\"}") - before.get(i)[1]) * perMin, window));
        }
      }
      System.out.print(out);
      Files.writeString(lab.dir().resolve("results.txt"), out);
      Metrics.save(lab, nodesA, 8440);
      assertEquals(0, lab.processes().stream().filter(p -> p.label().equals("node") && !p.isAlive()).count(),
          "a node died");
    }
  }

  /** Sends hostile adverts from {@code mallory} to the mDNS group; returns how many. */
  private static int flood(LabHost mallory, String victimStatus) throws Exception {
    String victimId = Testbeds.jsonField(victimStatus, "id");
    Random r = new Random(15);
    int sent = 0;
    try (DatagramSocket s = mallory.udpSocket(0)) {
      InetAddress group = InetAddress.getByName("224.0.0.251");
      for (int i = 0; i < 300; i++) {
        byte[] id = new byte[32];
        r.nextBytes(id);
        String hex = java.util.HexFormat.of().formatHex(id);
        byte[] packet = switch (i % 4) {
          // a victim's id under our own instance name: the name does not repeat the id
          case 0 -> advert("dialtone-" + hex.substring(0, 16), 7440, List.of("id=" + victimId));
          // the victim's id and name, from our address: unverifiable, and the real one is already verified
          case 1 -> advert("dialtone-" + victimId.substring(0, 16), 7440, List.of("id=" + victimId));
          case 2 -> advert("dialtone-" + hex.substring(0, 16), 0, List.of("id=" + hex)); // an absurd port
          default -> advert("dialtone-" + hex.substring(0, 16), 7440, List.of("id=" + hex)); // made-up nodes
        };
        s.send(new DatagramPacket(packet, packet.length, group, 5353));
        sent++;
      }
    }
    return sent;
  }

  private static byte[] advert(String instance, int port, List<String> txt) {
    return MdnsCodec.response(LanDiscovery.SERVICE_TYPE, instance, instance + ".local", port, txt,
        new byte[] {(byte) 192, (byte) 168, 1, 66}, 120);
  }

  private static String bracketless(LabHost h) {
    return h.address() + ":";
  }

  private static String status(LabProcess n) {
    try {
      return n.host().httpGet(n.host().address(), 8440, "/status", Duration.ofSeconds(20)).body();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static String metrics(LabProcess n) {
    try {
      return n.host().httpGet(n.host().address(), 8440, "/metrics", Duration.ofSeconds(20)).body();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static void awaitStatus(LabProcess n, java.util.function.Predicate<String> ok, String what) {
    long deadline = System.nanoTime() + COMMAND.toNanos();
    String s = status(n);
    while (!ok.test(s) && System.nanoTime() < deadline) {
      LabHost.sleepBriefly();
      s = status(n);
    }
    assertTrue(ok.test(s), n + " never had " + what + ": " + s);
  }

  private static long refused(String metrics) {
    long sum = 0;
    Matcher m = Pattern.compile("(?m)^dialtone_lan_refused_total\\{[^}]*\\} ([0-9.E]+)$").matcher(metrics);
    while (m.find()) {
      sum += (long) Double.parseDouble(m.group(1));
    }
    return sum;
  }

  private static double counter(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.E]+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private static int intField(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Runs {@code args} on {@code host} until its output lists {@code expected} (see {@link LabHost#runUntil}). */
  private static LabProcess.Outcome untilListed(LabHost host, String expected, String... args) {
    LabHost.Retried r = host.runUntil(COMMAND, out -> out.contains(expected), args);
    System.out.printf("lan story: '%s' on %s listed %s after %d attempt(s)%n", args[0], host.name(), expected,
        r.attempts());
    return r.outcome();
  }
}
