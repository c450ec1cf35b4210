package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.DhtNodes;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.node.gateway.Gateway;
import org.dialtone.node.metrics.LatencyHistogram;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every gateway endpoint over real HTTP, against a real DHT on loopback. */
class GatewayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static LocalTestnet net;
  private static Gateway gateway;
  private static NumberResolver gatewayResolver;
  private static final List<DhtNode> clients = new ArrayList<>();
  private static final List<NumberResolver> agents = new ArrayList<>();
  private static NumberResolver a;
  private static NumberResolver b;

  @BeforeAll
  static void network() throws Exception {
    net = LocalTestnet.start(6);
    DhtNode node = net.node(0);
    gatewayResolver = NumberResolver.create(node, Identity.generate(), AgentProfile.named("gateway"));
    gateway = Gateway.start(net.vertx(), node, gatewayResolver,
        new LatencyHistogram("dialtone_lookup_duration_seconds", "test"), "127.0.0.1", 0).get(10, TimeUnit.SECONDS);
    a = agent(AgentProfile.named("Agent A").withInterests("chat"));
    b = agent(AgentProfile.named("Agent B").withInterests("crypto", "games").withEndpoints("ws://127.0.0.1:8053"));
    a.announce(DialNumber.parse("744-196884-23")).get(20, TimeUnit.SECONDS);
    b.announce(DialNumber.parse("744-196884-23")).get(20, TimeUnit.SECONDS);
    b.host(DialNumber.parse("744-196884-53"), List.of("crypto", "games"), "ws://127.0.0.1:8053")
        .get(20, TimeUnit.SECONDS);
    a.share(DialNumber.parse("744-196884-47"), "I know about 47", "crypto").get(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void shutdown() {
    try {
      agents.forEach(r -> r.closeAsync().orTimeout(3, TimeUnit.SECONDS).exceptionally(e -> null).join());
      if (gateway != null) {
        gateway.close();
      }
      clients.forEach(DhtNode::close);
    } finally {
      if (net != null) {
        net.close();
      }
    }
  }

  private static NumberResolver agent(AgentProfile profile) {
    DhtNode c = net.addClient();
    clients.add(c);
    NumberResolver r = NumberResolver.create(c, Identity.generate(), profile);
    agents.add(r);
    return r;
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return get(gateway.port(), path);
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), r.toString());
    return JSON.readTree(r.body());
  }

  @Test
  void dialReturnsTheRosterAsInTheSeedsRegistry() throws Exception {
    HttpResponse<String> r = get("/dial/744-196884-23");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode roster = json(r);
    assertEquals("744-196884-23", roster.get("number").asText());
    assertEquals(List.of("Agent A", "Agent B"), names(roster.get("agents")));
    assertEquals(b.agent().toHex(), roster.get("roster").get(1).get("agent").asText());
    assertTrue(roster.get("host").isNull());
    assertEquals("744-196884-47", roster.get("shares").get(0).get("number").asText());

    JsonNode hosted = json(get("/dial/744-196884-53"));
    assertEquals("Agent B", hosted.get("host").asText());
    assertEquals(List.of("crypto", "games"), names(hosted.get("services")));
  }

  @Test
  void dialTakesNamesAndQuietNumbers() throws Exception {
    JsonNode moonshine = json(get("/dial/moonshine"));
    assertEquals("744-196884-70", moonshine.get("number").asText());
    assertEquals("Moonshine", moonshine.get("name").asText());
    assertEquals(0, moonshine.get("agents").size());
  }

  @Test
  void aBadNumberIs400WithTheReason() throws Exception {
    HttpResponse<String> r = get("/dial/744-196884-1000");
    assertEquals(400, r.statusCode());
    JsonNode e = json(r);
    assertEquals("INVALID_NUMBER", e.get("error").asText());
    assertEquals("SHARD_RANGE", e.get("reason").asText());
    assertTrue(e.get("message").asText().contains("1000"), e.toString());

    assertEquals("LEADING_ZERO", json(get("/dial/744-196884-07")).get("reason").asText());
    assertEquals(400, get("/dial/%0A744").statusCode());
  }

  @Test
  void discoverFindsAgentsByInterest() throws Exception {
    JsonNode agentsFound = json(get("/discover?interest=crypto"));
    assertEquals(List.of("Agent B"), names(agentsFound, "name"));
    assertEquals(400, get("/discover?interest=Not%20A%20Word").statusCode());
    assertEquals(400, get("/discover").statusCode());
  }

  @Test
  void numbersFindsNumbersByService() throws Exception {
    assertEquals(List.of("744-196884-53"), names(json(get("/numbers?service=games"))));
    JsonNode detail = json(get("/numbers?service=games&detail=true"));
    assertEquals("Agent B", detail.get(0).get("host").get("name").asText());
    assertEquals(0, json(get("/numbers?service=nothing-here")).size());
  }

  @Test
  void agentsAnswersARequest() throws Exception {
    JsonNode info = json(get("/agents/" + b.agent().toHex()));
    assertEquals("Agent B", info.get("name").asText());
    assertTrue(names(info.get("numbers")).contains("744-196884-53"));
    assertEquals(404, get("/agents/" + Identity.generate().publicKey().toHex()).statusCode());
    assertEquals(400, get("/agents/not-hex").statusCode());
  }

  @Test
  void unknownPathsAndWritesAreRefused() throws Exception {
    assertEquals(404, get("/nope").statusCode());
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.port() + "/dial/744-196884-23"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
  }

  @Test
  void healthAndMetrics() throws Exception {
    HttpResponse<String> h = get("/health");
    assertEquals(200, h.statusCode());
    assertEquals("ready", json(h).get("status").asText());
    get("/dial/744-196884-23");
    HttpResponse<String> m = get("/metrics");
    assertEquals(200, m.statusCode());
    assertTrue(m.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
    String text = m.body();
    for (String series : List.of("dialtone_routing_table_contacts ", "dialtone_stored_records ",
        "dialtone_datagrams_total{direction=\"in\"} ", "dialtone_datagrams_total{direction=\"out\"} ",
        "dialtone_dropped_datagrams_total{reason=\"malformed\"} ",
        "dialtone_lookup_duration_seconds_bucket{op=\"dial\",le=\"+Inf\"} ",
        "dialtone_lookup_duration_seconds_count{op=\"dial\"} ")) {
      assertTrue(text.contains(series), "missing " + series + " in\n" + text);
    }
    assertFalse(text.contains("dialtone_routing_table_contacts 0\n"), text);
  }

  @Test
  void notBootstrappedIs503() throws Exception {
    DhtNode lonely = DhtNodes.startUdp(net.vertx(), DhtConfig.defaults(), Identity.generate(), "127.0.0.1", 0)
        .get(10, TimeUnit.SECONDS);
    NumberResolver r = NumberResolver.create(lonely, Identity.generate(), AgentProfile.named("x"));
    Gateway g = Gateway.start(net.vertx(), lonely, r, new LatencyHistogram("t", "t"), "127.0.0.1", 0)
        .get(10, TimeUnit.SECONDS);
    try {
      assertEquals(503, get(g.port(), "/health").statusCode());
      HttpResponse<String> dial = get(g.port(), "/dial/744-196884-23");
      assertEquals(503, dial.statusCode());
      assertEquals("NOT_READY", json(dial).get("error").asText());
      assertEquals(400, get(g.port(), "/dial/744-x").statusCode()); // input is checked first
    } finally {
      g.close();
      lonely.close();
    }
  }

  @Test
  void theWebSocketStreamsANumbersEvents() throws Exception {
    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(
        URI.create("ws://127.0.0.1:" + gateway.port() + "/watch/744-196884-31"), new WebSocket.Listener() {
          private final StringBuilder partial = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              frames.add(partial.toString());
              partial.setLength(0);
            }
            w.request(1);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    try {
      JsonNode first = JSON.readTree(frames.poll(20, TimeUnit.SECONDS));
      assertEquals("WATCHING", first.get("type").asText());
      NumberResolver c = agent(AgentProfile.named("Agent C"));
      c.announce(DialNumber.parse("744-196884-31")).get(20, TimeUnit.SECONDS);
      String joined = frames.poll(20, TimeUnit.SECONDS);
      assertTrue(joined != null, "no JOINED event within 20 s");
      JsonNode event = JSON.readTree(joined);
      assertEquals("JOINED", event.get("type").asText());
      assertEquals("Agent C", event.get("agent").get("name").asText());
      c.leave(DialNumber.parse("744-196884-31")).get(20, TimeUnit.SECONDS);
      JsonNode left = JSON.readTree(frames.poll(20, TimeUnit.SECONDS));
      assertEquals("LEFT", left.get("type").asText());
    } finally {
      ws.abort();
    }
  }

  @Test
  void aWebSocketOnABadNumberIsRefused() {
    Exception e = assertThrows(Exception.class, () -> HTTP.newWebSocketBuilder().buildAsync(
        URI.create("ws://127.0.0.1:" + gateway.port() + "/watch/744-196884-1000"), new WebSocket.Listener() { })
        .get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof WebSocketHandshakeException, String.valueOf(e.getCause()));
    assertEquals(400, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
  }

  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> names(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get(field).asText()));
    return out;
  }
}
