package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.node.runner.NodeRunner;
import org.dialtone.node.runner.NodeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPv6 literals where a user types addresses: a node on {@code ::1} (UDP and gateway), a second joining through
 * {@code --bootstrap [::1]:port}, and an agent command dialing through it; the gateway answers at
 * {@code http://[::1]:port}.
 */
class Ipv6LoopbackTest {
  @TempDir Path data;

  @Test
  void nodesGatewayAndAgentCommandsWorkOnIpv6Loopback() throws Exception {
    NodeRunner one = NodeRunner.start(settings("one", List.of()));
    NodeRunner two = null;
    try {
      PeerAddress first = one.node().address();
      assertEquals(PeerAddress.parse("[::1]:" + first.port()), first);
      two = NodeRunner.start(settings("two", List.of(PeerAddress.parse("[::1]:" + first.port()))));
      two.node().ready().get(30, TimeUnit.SECONDS);

      HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://[::1]:" + one.httpPort() + "/status")).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, status.statusCode(), status.body());
      assertTrue(status.body().contains("\"http\":\"[0:0:0:0:0:0:0:1]:" + one.httpPort() + "\""), status.body());

      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.run(new String[] {"numbers", "--service", "bootstrap", "--bootstrap",
          "[::1]:" + two.node().address().port(), "--timeout", "20", "--config-dir", data.resolve("cfg").toString()},
          new PrintWriter(out, true), new PrintWriter(err, true), Map.of("DIALTONE_NO_LAN", "true"));
      assertEquals(0, code, "out: " + out + "\nerr: " + err);
    } finally {
      if (two != null) {
        two.close();
      }
      one.close();
    }
  }

  private NodeSettings settings(String name, List<PeerAddress> seeds) {
    return new NodeSettings("::1", 0, 0, data.resolve(name), seeds, Optional.empty(), Duration.ofSeconds(5));
  }
}
