package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.node.gateway.Gateway;
import org.dialtone.node.metrics.NodeMeters;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web page's files and the JSON it reads, over real HTTP: what a browser gets and what a program still gets. */
class GatewayWebTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalTestnet net;
  private static NumberResolver resolver;
  private static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    net = LocalTestnet.start(3);
    DhtNode node = net.node(0);
    resolver = NumberResolver.create(node, Identity.generate(), AgentProfile.named("gateway"));
    gateway = Gateway.start(net.vertx(), node, resolver, NodeMeters.create(node.metrics(), node::isReady),
        "127.0.0.1", 0).get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    try {
      if (gateway != null) {
        gateway.close();
      }
    } finally {
      net.close();
    }
  }

  static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBrowserGetsThePageLockedDownAndAProgramStillGetsJson() throws Exception {
    HttpResponse<String> page = get("/", "accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"), page.headers().toString());
    String csp = page.headers().firstValue("content-security-policy").orElse("");
    assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
    assertEquals("nosniff", page.headers().firstValue("x-content-type-options").orElse(""));
    assertTrue(page.body().contains("<script type=\"module\" src=\"/web/app.js\">"), page.body());
    assertTrue(!page.body().contains("<script>"), "no inline script: the policy would block it");

    HttpResponse<String> index = get("/");
    assertTrue(index.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    assertEquals("dialtone gateway", JSON.readTree(index.body()).get("service").asText());
  }

  @Test
  void thePageFilesAreServedWithValidators() throws Exception {
    for (String path : new String[] {"/web/app.js", "/dialtone.js", "/web/style.css"}) {
      HttpResponse<String> r = get(path);
      assertEquals(200, r.statusCode(), path);
      String etag = r.headers().firstValue("etag").orElseThrow();
      assertEquals(304, get(path, "if-none-match", etag).statusCode(), path + " revalidates");
    }
    assertTrue(get("/web/app.js").headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
    // the files are served byte for byte as written (Maven's resource filtering would replace JavaScript's ${name})
    Path sources = Path.of("src/main/resources/org/dialtone/node/web");
    for (String[] served : new String[][] {{"/web/app.js", "app.js"}, {"/dialtone.js", "dialtone.js"},
        {"/web/style.css", "style.css"}}) {
      assertEquals(Files.readString(sources.resolve(served[1])), get(served[0]).body(), served[0]);
    }
    // nothing outside the fixed set is looked up
    for (String path : new String[] {"/web/", "/web/../web/app.js", "/web/index.html", "/web/app.js.map",
        "/org/dialtone/node/web/app.js"}) {
      HttpResponse<String> r = get(path);
      assertEquals(404, r.statusCode(), path);
      assertEquals("NOT_FOUND", JSON.readTree(r.body()).get("error").asText(), path);
    }
    System.out.printf("web page weight: %d bytes (page, script, style, library; uncompressed)%n",
        gateway.pageWeight());
  }

  @Test
  void shardsListsThe71PrimaryShardsWithTheirNamesThenTheOtherNamedNumbers() throws Exception {
    JsonNode shards = JSON.readTree(get("/shards").body());
    int primary = 0;
    for (JsonNode s : shards) {
      if (s.get("space").asText().equals("primary")) {
        assertEquals(primary, s.get("shard").asInt());
        assertEquals("744-196884-" + primary, s.get("number").asText());
        primary++;
      }
    }
    assertEquals(71, primary);
    assertEquals("Bootstrap", shards.get(0).get("name").asText());
    assertEquals("Moonshine", shards.get(70).get("name").asText());
    assertEquals("General chat", shards.get(71).get("name").asText());
  }

  @Test
  void statusCarriesTheTrafficThePageCharts() throws Exception {
    JsonNode status = JSON.readTree(get("/status").body());
    JsonNode traffic = status.get("traffic");
    assertTrue(traffic.get("datagramsIn").asLong() > 0, status.toString());
    assertTrue(traffic.get("bytesOut").asLong() > 0, status.toString());
  }
}
