package org.dialtone.node.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node's STUN port over real UDP, with our own client and with coturn's, an independent implementation. */
class StunServerTest {
  static final Path COTURN_CLIENT = Path.of("/usr/bin/turnutils_stunclient");
  static Vertx vertx;
  static StunServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = StunServer.start(vertx, "127.0.0.1", 0, new StunResponder(StunResponder.defaultLimits()),
        System::nanoTime).get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void aClientLearnsTheAddressAndPortItSentFrom() throws Exception {
    try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      client.setSoTimeout(5_000);
      byte[] tx = "dialtone-tx1".getBytes(StandardCharsets.US_ASCII);
      byte[] request = StunMessage.bindingRequest(tx);
      client.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), server.port()));
      DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
      client.receive(reply);
      byte[] bytes = java.util.Arrays.copyOf(reply.getData(), reply.getLength());
      assertEquals(client.getLocalSocketAddress(), StunMessage.mappedAddress(bytes));
      assertTrue(bytes.length <= 3 * request.length);
      // a DHT datagram sent to the STUN port by mistake is dropped and counted, not answered
      byte[] notStun = {(byte) 0xA5, 1, 2, 3};
      client.send(new DatagramPacket(notStun, notStun.length, InetAddress.getLoopbackAddress(), server.port()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.responder().count(StunResponder.Counter.MALFORMED) == 0 && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      }
      assertEquals(1, server.responder().count(StunResponder.Counter.MALFORMED));
    }
  }

  @Test
  void coturnsClientUnderstandsOurAnswer() throws Exception {
    if (!Files.isExecutable(COTURN_CLIENT)) {
      throw new AssertionError("this test needs coturn's STUN client (" + COTURN_CLIENT
          + "): scripts/install-test-deps.sh installs the coturn package");
    }
    Process p = new ProcessBuilder(COTURN_CLIENT.toString(), "-p", Integer.toString(server.port()), "127.0.0.1")
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "turnutils_stunclient did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("UDP reflexive addr: 127.0.0.1:"), out);
  }
}
