package org.dialtone.agent.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * Two punch sockets on loopback: probes carry the session token (another token is dropped), QUIC runs between the two
 * sockets once admitted, a stream is spliced to TCP at both ends, and a stranger's QUIC never reaches the codec.
 */
class PunchChannelTest {
  private static final byte[] TOKEN = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static PeerAddress loopback(PunchChannel c) {
    return PeerAddress.of(InetAddress.getLoopbackAddress(), c.localPort());
  }

  @Test
  void probesWithTheTokenArriveAndOthersAreDropped() throws Exception {
    try (PunchChannel a = PunchChannel.open(Clock.system()).get(5, TimeUnit.SECONDS);
        PunchChannel b = PunchChannel.open(Clock.system()).get(5, TimeUnit.SECONDS);
        PunchChannel stranger = PunchChannel.open(Clock.system()).get(5, TimeUnit.SECONDS)) {
      CompletableFuture<PeerAddress> seen = new CompletableFuture<>();
      b.expectProbes(TOKEN, seen::complete);
      stranger.expectProbes("fedcba9876543210".getBytes(java.nio.charset.StandardCharsets.US_ASCII), x -> { });
      stranger.sendProbe(0, loopback(b), false);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (b.dropped() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(1, b.dropped(), "a probe with another token is dropped");
      assertTrue(!seen.isDone(), "and never handed on");
      a.expectProbes(TOKEN, x -> { });
      a.sendProbe(0, loopback(b), false);
      assertEquals(loopback(a), seen.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void quicCarriesASplicedStreamBothWays() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        PunchChannel dialler = PunchChannel.open(Clock.system()).get(5, TimeUnit.SECONDS);
        PunchChannel host = PunchChannel.open(Clock.system()).get(5, TimeUnit.SECONDS)) {
      Thread echoer = new Thread(() -> {
        try (Socket s = echo.accept()) {
          s.getInputStream().transferTo(s.getOutputStream());
        } catch (java.io.IOException e) {
          // the test's asserts say what went wrong
        }
      });
      echoer.setDaemon(true);
      echoer.start();
      host.serveQuic(stream -> LoopbackBridge.connect(stream, echo.getLocalPort(), p -> { }));
      host.admitQuicFrom(loopback(dialler));
      var stream = dialler.dialQuic(loopback(host)).get(10, TimeUnit.SECONDS);
      int port = LoopbackBridge.listenOnce(stream, 10_000).get(5, TimeUnit.SECONDS);
      byte[] data = new byte[4 << 20];
      new Random(5).nextBytes(data);
      byte[] back = new byte[data.length];
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        OutputStream out = s.getOutputStream();
        Thread writer = new Thread(() -> {
          try {
            out.write(data);
            out.flush();
          } catch (java.io.IOException e) {
            // the read below fails then
          }
        });
        writer.start();
        InputStream in = s.getInputStream();
        int n = 0;
        while (n < back.length) {
          int r = in.read(back, n, back.length - n);
          if (r < 0) {
            break;
          }
          n += r;
        }
        writer.join(10_000);
        assertEquals(data.length, n, "everything came back");
      }
      assertArrayEquals(data, back);
      assertTrue(host.hasQuic() && dialler.hasQuic());
    }
  }

  @Test
  void aStrangersQuicNeverReachesTheCodec() throws Exception {
    try (PunchChannel host = PunchChannel.open(Clock.system()).get(5, TimeUnit.SECONDS);
        PunchChannel peer = PunchChannel.open(Clock.system()).get(5, TimeUnit.SECONDS);
        PunchChannel stranger = PunchChannel.open(Clock.system()).get(5, TimeUnit.SECONDS)) {
      host.serveQuic(stream -> stream.close());
      host.admitQuicFrom(loopback(peer));
      var attempt = stranger.dialQuic(loopback(host));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (host.dropped() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(host.dropped() > 0, "the stranger's Initial was dropped");
      assertTrue(!host.hasQuic(), "no stream for a stranger");
      stranger.close();
      assertThrows(ExecutionException.class, () -> attempt.get(10, TimeUnit.SECONDS));
    }
  }
}
