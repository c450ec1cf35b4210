package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.node.runner.NodeRunner;
import org.dialtone.node.runner.NodeSettings;
import org.dialtone.node.stun.StunMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running node's STUN port: it answers, /status names it, /metrics counts it, and a taken port is survived. */
class NodeStunTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aNodeAnswersStunAndSaysWhereAndHowMuch(@TempDir Path data) throws Exception {
    try (LocalTestnet net = LocalTestnet.start(2);
        NodeRunner runner = NodeRunner.start(new NodeSettings("127.0.0.1", 0, 0, data, net.seeds(), Optional.empty(),
            Duration.ofSeconds(5)), net.vertx());
        DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      int port = runner.startStun(0);
      assertTrue(port > 0);
      client.setSoTimeout(10_000);
      byte[] request = StunMessage.bindingRequest(new byte[12]);
      client.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), port));
      DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
      client.receive(reply);
      assertEquals(client.getLocalSocketAddress(),
          StunMessage.mappedAddress(Arrays.copyOf(reply.getData(), reply.getLength())));

      runner.node().ready().get(20, TimeUnit.SECONDS);
      String status = get(runner.httpPort(), "/status");
      assertTrue(status.contains("\"stun\":\"stun:127.0.0.1:" + port + "\""), status);
      String metrics = get(runner.httpPort(), "/metrics");
      assertTrue(metrics.contains("dialtone_stun_requests_total{result=\"answered\"} 1.0"), metrics);

      // a second node on the same STUN port runs on without it, and says so
      try (NodeRunner second = NodeRunner.start(new NodeSettings("127.0.0.1", 0, -1, data.resolve("second"),
          net.seeds(), Optional.empty(), Duration.ofSeconds(5)), net.vertx())) {
        assertEquals(-1, second.startStun(port));
        assertEquals(-1, second.stunPort());
      }
    }
  }

  private static String get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
