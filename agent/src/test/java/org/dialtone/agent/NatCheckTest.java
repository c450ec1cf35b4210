package org.dialtone.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NatCheck} over real UDP sockets on loopback: two STUN servers (127.0.0.1 and 127.0.0.2, one port number)
 * that answer a mapping of the test's choosing, as two bootstrap nodes behind which our NAT would show.
 */
class NatCheckTest {
  private static final byte[] MAPPED = {(byte) 203, 0, 113, 7};
  private final List<FakeStun> servers = new ArrayList<>();
  /** The relays the fake servers stand for (their hosts, as the agent learns them). */
  private final List<String> relays = new ArrayList<>();

  @AfterEach
  void close() {
    servers.forEach(FakeStun::close);
  }

  @Test
  void twoServersSeeingOneMappingMakeItConsistentWithThatPublicAddress() throws Exception {
    NatCheck check = checkWith(40000, 40000);
    assertEquals(NatStatus.unknown(), check.status());
    NatStatus s = check.check(relays).get(10, TimeUnit.SECONDS);
    assertEquals(NatType.CONSISTENT, s.nat().type(), s.toString());
    assertEquals("203.0.113.7:40000", s.publicAddress().orElseThrow().toString());
    assertTrue(s.natCheckedAtMillis() > 0, s.toString());
    assertEquals(NatStatus.Reachability.UNKNOWN, s.reachable());
  }

  @Test
  void anotherPortPerServerIsRandomWithOnlyTheHostKnown() throws Exception {
    NatStatus s = checkWith(40000, 40001).check(relays).get(10, TimeUnit.SECONDS);
    assertEquals(NatType.RANDOM, s.nat().type(), s.toString());
    assertEquals(0, s.publicAddress().orElseThrow().port());
  }

  @Test
  void oneServerAnsweringIsNotEnoughToKnow() throws Exception {
    NatStatus s = checkWith(40000).check(relays).get(10, TimeUnit.SECONDS);
    assertEquals(NatType.UNKNOWN, s.nat().type(), s.toString());
    assertTrue(s.publicAddress().isEmpty());
  }

  @Test
  void aDialBackResultIsKeptAlongsideTheVerdict() throws Exception {
    NatCheck check = checkWith(40000, 40000);
    check.dialedBack(false);
    assertEquals(NatStatus.Reachability.UNREACHABLE, check.status().reachable());
    NatStatus s = check.check(relays).get(10, TimeUnit.SECONDS);
    assertEquals(NatStatus.Reachability.UNREACHABLE, s.reachable(), "a new verdict keeps the dial-back's result");
    check.dialedBack(true);
    assertEquals(NatStatus.Reachability.REACHABLE, check.status().reachable());
    assertEquals(NatType.CONSISTENT, check.status().nat().type());
  }

  /** One fake STUN server per given port, on 127.0.0.1, 127.0.0.2... all on one port number. */
  private NatCheck checkWith(int... mappedPorts) throws Exception {
    FakeStun first = new FakeStun(new InetSocketAddress("127.0.0.1", 0), mappedPorts[0]);
    servers.add(first);
    relays.add("ws://127.0.0.1:7440");
    for (int i = 1; i < mappedPorts.length; i++) {
      String ip = "127.0.0." + (i + 1);
      servers.add(new FakeStun(new InetSocketAddress(ip, first.port()), mappedPorts[i]));
      relays.add("ws://" + ip + ":7440");
    }
    return new NatCheck(Clock.system(), first.port());
  }

  /** Answers every Binding request with XOR-MAPPED-ADDRESS 203.0.113.7:{@code mappedPort}. */
  private static final class FakeStun implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;

    FakeStun(InetSocketAddress at, int mappedPort) throws SocketException {
      socket = new DatagramSocket(at);
      thread = new Thread(() -> serve(mappedPort), "fake-stun");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void serve(int mappedPort) {
      byte[] buf = new byte[512];
      while (!socket.isClosed()) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
          if (p.getLength() < 20) {
            continue;
          }
          ByteBuffer r = ByteBuffer.allocate(32).putShort((short) 0x0101).putShort((short) 12)
              .putInt(0x2112A442).put(buf, 8, 12)
              .putShort((short) 0x0020).putShort((short) 8).put((byte) 0).put((byte) 1)
              .putShort((short) (mappedPort ^ 0x2112));
          for (int i = 0; i < 4; i++) {
            r.put((byte) (MAPPED[i] ^ (byte) (0x2112A442 >>> (24 - 8 * i))));
          }
          socket.send(new DatagramPacket(r.array(), 32, p.getSocketAddress()));
        } catch (java.io.IOException e) {
          return; // closed
        }
      }
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
