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
      b.expectProbes(TOKEN, (socket, from) -> seen.complete(from));
      stranger.expectProbes("fedcba9876543210".getBytes(java.nio.charset.StandardCharsets.US_ASCII), (socket, x) -> { });
      stranger.sendProbe(0, loopback(b), false);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (b.dropped() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(1, b.dropped(), "a probe with another token is dropped");
      assertTrue(!seen.isDone(), "and never handed on");
      a.expectProbes(TOKEN, (socket, x) -> { });
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
  void aBirthdaySocketThatPunchedCarriesQuicAndTheOthersClose() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        PunchChannel cone = PunchChannel.open(Clock.system()).get(5, TimeUnit.SECONDS);
        PunchChannel symmetric = PunchChannel.open(Clock.system()).get(5, TimeUnit.SECONDS)) {
      Thread echoer = new Thread(() -> {
        try (Socket s = echo.accept()) {
          s.getInputStream().transferTo(s.getOutputStream());
        } catch (java.io.IOException e) {
          // the test's asserts say what went wrong
        }
      });
      echoer.setDaemon(true);
      echoer.start();
      CompletableFuture<int[]> heardOn = new CompletableFuture<>();
      CompletableFuture<PeerAddress> coneHeard = new CompletableFuture<>();
      symmetric.expectProbes(TOKEN, (socket, from) -> heardOn.complete(new int[] {socket, from.port()}));
      cone.expectProbes(TOKEN, (socket, from) -> coneHeard.complete(from));
      symmetric.serveQuic(stream -> LoopbackBridge.connect(stream, echo.getLocalPort(), p -> { }));
      // the symmetric side opens birthday sockets on its loop, each probing the cone side's one socket
      CompletableFuture<java.util.List<Integer>> opened = new CompletableFuture<>();
      symmetric.scheduler().execute(() -> {
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
          int id = symmetric.openSocket().orElseThrow();
          ids.add(id);
          symmetric.sendProbe(id, loopback(cone), true);
        }
        opened.complete(ids);
      });
      java.util.List<Integer> ids = opened.get(5, TimeUnit.SECONDS);
      assertEquals(8, ids.size());
      assertEquals(8, symmetric.birthdaySockets());
      PeerAddress winner = coneHeard.get(5, TimeUnit.SECONDS); // the first birthday probe to arrive
      cone.sendProbe(0, winner, false);
      int[] heard = heardOn.get(5, TimeUnit.SECONDS);
      assertTrue(ids.contains(heard[0]), "the cone side's probe came in on a birthday socket");
      assertEquals(cone.localPort(), heard[1]);
      // the puncher closes the losers; the winner becomes the socket QUIC runs on
      CompletableFuture<Void> settled = new CompletableFuture<>();
      symmetric.scheduler().execute(() -> {
        ids.stream().filter(id -> id != heard[0]).forEach(symmetric::closeSocket);
        symmetric.settle(heard[0], loopback(cone));
        symmetric.scheduler().execute(() -> settled.complete(null));
      });
      settled.get(5, TimeUnit.SECONDS);
      assertEquals(0, symmetric.birthdaySockets(), "the losers are closed, the winner is the channel's socket");
      assertEquals(winner.port(), symmetric.localPort());
      cone.settle(0, winner);
      var stream = cone.dialQuic(winner).get(10, TimeUnit.SECONDS);
      int port = LoopbackBridge.listenOnce(stream, 10_000).get(5, TimeUnit.SECONDS);
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.getOutputStream().write("over the birthday socket".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        byte[] back = s.getInputStream().readNBytes(24);
        assertEquals("over the birthday socket", new String(back, java.nio.charset.StandardCharsets.US_ASCII));
      }
      assertTrue(symmetric.hasQuic());
      assertTrue(!symmetric.closed().isDone(), "the main socket closed, the channel lives on the winner");
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
