package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.node.lan.LanHostNames;
import org.dialtone.node.lan.MdnsCodec;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.Test;

/**
 * A number's hosts found directly on the LAN, with no node anywhere: an agent hosts a number on one LAN ({@code host}
 * with no bootstrap flag: no node answers, so it hosts on the LAN alone) and an agent on the same LAN connects to it
 * by number ({@code connect}, found by mDNS, the key proved in the handshake). A host on a second LAN behind a router
 * does not see it (multicast DNS stays on its link). A neighbour that answers for the number with a key of its own
 * makes the number ambiguous (AMBIGUOUS_HOST, listing both keys): nothing is dialled blindly, nothing pinned.
 */
class LanHostDirectTest {
  private static final Duration COMMAND = Duration.ofSeconds(120);
  private static final String NUMBER = "744-196884-53";

  @Test
  void twoAgentsOnALanWithNoNodeConnectByNumberAndAnotherLanDoesNotSeeThem() throws Exception {
    Testbeds.requireNetns();
    LabSpec.Builder b = LabSpec.builder().router("lana", NatType.NONE);
    b.lanHost("a1", "lana").lanHost("a2", "lana").lanHost("mallory", "lana");
    b.router("lanb", NatType.NONE).lanHost("b1", "lanb");
    try (Lab lab = Lab.start(b.build(), Path.of("target/testbed/lan-host"));
        LinkListener link = LinkListener.on(lab.host("mallory"))) {
      long t0 = System.nanoTime();
      LabProcess host = lab.host("a1").start("host", List.of("host", NUMBER, "--name", "Agent B", "--port", "8053",
          "--for", "300", "--timeout", "3"));
      host.awaitOutput("on the LAN only", COMMAND);
      double hostingSeconds = (System.nanoTime() - t0) / 1e9;

      Path in = lab.dir().resolve("hello.txt");
      Files.writeString(in, "hello over the LAN\n");
      Path out = lab.dir().resolve("echoed.txt");
      LabProcess.Outcome connect = lab.host("a2").runPiped(COMMAND, in, out, "connect", NUMBER, "--service", "echo",
          "--timeout", "3");
      double connectedSeconds = (System.nanoTime() - t0) / 1e9;
      assertTrue(connect.ok(), connect.output());
      assertTrue(connect.output().contains(" DIRECT in "), connect.output());
      assertEquals("hello over the LAN\n", Files.readString(out), "the echo came back");
      Matcher m = Pattern.compile("connected to ([0-9a-f]{64}) DIRECT in (\\d+) ms").matcher(connect.output());
      assertTrue(m.find(), connect.output());
      String hostKey = m.group(1);
      long connectMillis = Long.parseLong(m.group(2));

      // The second LAN does not hear the first one's mDNS: nothing hosts the number there.
      LabProcess.Outcome other = lab.host("b1").run(COMMAND, "connect", NUMBER, "--service", "echo", "--timeout",
          "3");
      assertFalse(other.ok(), other.output());
      assertTrue(other.output().contains("nobody answered for it on the LAN"), other.output());

      // Mallory answers for the number with a key of its own, again and again, while a2 dials: a2 hears two keys
      // and dials neither (AMBIGUOUS_HOST, both listed). Nothing connects, nothing is pinned.
      Thread forger = new Thread(() -> forge(lab.host("mallory"), lab.host("a1").address()), "forger");
      forger.setDaemon(true);
      forger.start();
      LabProcess.Outcome fooled = lab.host("a2").runPiped(COMMAND, in, lab.dir().resolve("fooled.txt"), "connect",
          NUMBER, "--service", "echo", "--timeout", "3");
      forger.interrupt();
      forger.join(10_000);
      assertFalse(fooled.ok(), fooled.output());
      assertTrue(fooled.output().contains("AMBIGUOUS_HOST") && fooled.output().contains(hostKey), fooled.output());
      assertFalse(fooled.output().contains("connected to"), fooled.output());

      // What the host's mDNS costs when nobody dials: listened to on the link for a window (on request).
      long window = Long.getLong("dialtone.lan.window", 0);
      String idle = "";
      if (window > 0) {
        long[] before = link.from(lab.host("a1").address());
        long end = System.nanoTime() + Duration.ofSeconds(window).toNanos();
        while (System.nanoTime() < end) {
          LabHost.sleepBriefly();
        }
        long[] after = link.from(lab.host("a1").address());
        idle = String.format("; idle host over %d s: %d packets, %d bytes", window, after[0] - before[0],
            after[1] - before[1]);
      }
      long[] hostSent = link.from(lab.host("a1").address());
      long[] diallerSent = link.from(lab.host("a2").address());
      String results = String.format("lan-host: host on the LAN only (no node) %.1f s after its start; a2 connected "
          + "by number (LAN, DIRECT, key %s...) %.1f s after the host's start, the connect itself %d ms; b1 on "
          + "another LAN: %s; with forged answers: %s%n"
          + "lan-host: mDNS heard on the link over the test: from the host (a1) %d packets, %d bytes; from the "
          + "dialler (a2, two connects, each with the node lookup) %d packets, %d bytes%s%n", hostingSeconds,
          hostKey.substring(0, 16), connectedSeconds, connectMillis, firstLine(other.output()),
          firstLine(fooled.output()), hostSent[0], hostSent[1], diallerSent[0], diallerSent[1], idle);
      System.out.print(results);
      Files.writeString(lab.dir().resolve("results.txt"), results);
      assertTrue(host.isAlive(), "the host died: " + host.output());
    }
  }

  /** Counts the mDNS datagrams on a host's link, by source address (a socket in that host's namespace). */
  static final class LinkListener implements AutoCloseable {
    private final java.nio.channels.DatagramChannel channel;
    private final java.util.Map<String, long[]> bySource = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread reader;

    private LinkListener(java.nio.channels.DatagramChannel channel) {
      this.channel = channel;
      this.reader = new Thread(this::read, "link-listener");
      reader.setDaemon(true);
      reader.start();
    }

    static LinkListener on(LabHost host) throws Exception {
      return new LinkListener(org.dialtone.testbed.linux.Netns.call(host.namespace(), () -> {
        InetAddress group = InetAddress.getByName("224.0.0.251");
        var c = java.nio.channels.DatagramChannel.open(java.net.StandardProtocolFamily.INET);
        c.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
        c.bind(new java.net.InetSocketAddress(group, 5353));
        c.join(group, java.net.NetworkInterface.getByInetAddress(InetAddress.getByName(host.address())));
        return c;
      }));
    }

    private void read() {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(9000);
      while (channel.isOpen()) {
        try {
          buf.clear();
          if (channel.receive(buf) instanceof java.net.InetSocketAddress from) {
            long[] c = bySource.computeIfAbsent(from.getAddress().getHostAddress(), k -> new long[2]);
            synchronized (c) {
              c[0]++;
              c[1] += buf.position();
            }
          }
        } catch (java.io.IOException e) {
          return;
        }
      }
    }

    /** Packets and bytes heard so far from {@code address}. */
    long[] from(String address) {
      long[] c = bySource.getOrDefault(address, new long[2]);
      synchronized (c) {
        return c.clone();
      }
    }

    @Override
    public void close() throws java.io.IOException {
      channel.close();
    }
  }

  /** Mallory's forged answers: the number's subtype, a made-up key's instance, the real host's port. */
  private static void forge(LabHost mallory, String victimAddress) {
    byte[] answer = MdnsCodec.hostAnswer(LanHostNames.subtype(DialNumber.parse(NUMBER)), LanHostNames.SERVICE_TYPE,
        LanHostNames.instanceLabel(Identity.generate().publicKey()), 8053, 120);
    try (DatagramSocket s = mallory.udpSocket(0)) {
      InetAddress group = InetAddress.getByName("224.0.0.251");
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Thread.currentThread().isInterrupted() && System.nanoTime() < end) {
        s.send(new DatagramPacket(answer, answer.length, group, 5353));
        LabHost.sleepBriefly();
      }
    } catch (Exception e) {
      // the test ends it
    }
  }

  private static String firstLine(String s) {
    return s.lines().filter(l -> l.startsWith("dialtone:")).findFirst()
        .orElse(s.lines().reduce("", (a, b) -> b)).trim();
  }
}
