package org.dialtone.node.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.node.log.StructuredLog;
import org.dialtone.node.metrics.NodeMeters;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.NumberWatch;
import org.dialtone.resolver.number.DialNumber;

/**
 * The seed's BBS directory over HTTP, served by a DHT node from what the DHT holds. Read-only: no request stores
 * anything, so nothing a client sends can make the node store a record, signed or not.
 *
 * <pre>
 * GET /dial/{number}            the roster: agents, host, services (a number or a name: /dial/moonshine)
 * GET /discover?interest=crypto  agents that declared the interest
 * GET /numbers?service=files     numbers whose hosts offer the service (add &amp;detail=true for the hosts)
 * GET /agents/{key}              one agent (64 hex digits): its numbers and endpoints
 * GET /health                    200 once bootstrapped, 503 before
 * GET /metrics                   Prometheus text (see {@link NodeMeters})
 * WS  /watch/{number}            JOINED / LEFT / SHARED / HOSTING events as JSON text frames
 * </pre>
 */
public final class Gateway implements AutoCloseable {
  private static final StructuredLog LOG = StructuredLog.of("gateway");
  private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64}");
  private static final int MAX_URI = 512;
  /** WebSocket watches at once; each costs DHT subscriptions, so they are bounded. */
  public static final int MAX_WATCHERS = 256;

  private final DhtNode node;
  private final NumberResolver resolver;
  private final NodeMeters meters;
  private final AtomicInteger watchers = new AtomicInteger();
  private HttpServer server;

  private Gateway(DhtNode node, NumberResolver resolver, NodeMeters meters) {
    this.node = node;
    this.resolver = resolver;
    this.meters = meters;
    meters.bindWatchers(watchers::get);
  }

  /**
   * Starts the gateway on {@code host:port} (0 picks a free port).
   *
   * @param meters where the gateway counts its requests and times its DHT reads, and what {@code /metrics} shows
   */
  public static CompletableFuture<Gateway> start(Vertx vertx, DhtNode node, NumberResolver resolver,
      NodeMeters meters, String host, int port) {
    Gateway g = new Gateway(node, resolver, meters);
    HttpServer server = vertx.createHttpServer()
        .requestHandler(g::handle)
        .webSocketHandshakeHandler(g::handshake)
        .webSocketHandler(g::watch);
    return server.listen(port, host).toCompletionStage().toCompletableFuture().thenApply(s -> {
      g.server = s;
      LOG.info("gateway.listening", "http", host + ":" + s.actualPort());
      return g;
    });
  }

  /** The port the gateway listens on. */
  public int port() {
    return server.actualPort();
  }

  /** WebSocket watches open now. */
  public int watchers() {
    return watchers.get();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  // ---- HTTP ----

  private void handle(HttpServerRequest req) {
    long start = System.nanoTime();
    String route = route(req.path());
    req.response().endHandler(v ->
        meters.gatewayRequest(route, req.response().getStatusCode(), System.nanoTime() - start));
    if (req.uri().length() > MAX_URI) {
      reply(req, ApiError.badRequest("URI_TOO_LONG", "the request URI is over " + MAX_URI + " characters"));
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      reply(req, new ApiError(405, "METHOD_NOT_ALLOWED", "the gateway is read-only: use GET", null));
      return;
    }
    String path = req.path();
    try {
      if (path.equals("/health")) {
        health(req);
      } else if (path.equals("/metrics")) {
        metrics(req);
      } else if (path.startsWith("/dial/")) {
        DialNumber n = DialNumber.resolve(segment(path, "/dial/"));
        ready(req, "dial", () -> resolver.discover(n).thenApply(JsonViews::roster));
      } else if (path.equals("/discover")) {
        String interest = word(req, "interest");
        ready(req, "discover", () -> resolver.findAgents(interest).thenApply(JsonViews::agents));
      } else if (path.equals("/numbers")) {
        String service = word(req, "service");
        boolean detail = "true".equals(req.getParam("detail"));
        ready(req, "numbers", () -> resolver.findNumbers(service)
            .thenApply(l -> detail ? JsonViews.listings(l) : JsonViews.numbers(l)));
      } else if (path.startsWith("/agents/")) {
        String id = segment(path, "/agents/");
        if (!HEX_KEY.matcher(id).matches()) {
          throw new IllegalArgumentException("agent id '" + id + "' is not 64 hex digits (an Ed25519 public key)");
        }
        PublicKey key = PublicKey.ofHex(id.toLowerCase());
        ready(req, "agent", () -> resolver.request(key).thenApply(JsonViews::agent));
      } else if (path.equals("/")) {
        json(req, 200, JsonViews.JSON.createObjectNode().put("service", "dialtone gateway")
            .put("endpoints", "/dial/{number} /discover?interest= /numbers?service= /agents/{key} /watch/{number} "
                + "/health /metrics"));
      } else {
        reply(req, ApiError.notFound("no such endpoint: " + LogSafe.clip(path)));
      }
    } catch (RuntimeException e) {
      reply(req, ApiError.of(e));
    }
  }

  /** The route label of a path: one of a fixed set, so a client cannot create series. */
  static String route(String path) {
    if (path.equals("/")) {
      return "root";
    }
    for (String r : new String[] {"health", "metrics", "discover", "numbers"}) {
      if (path.equals("/" + r)) {
        return r;
      }
    }
    for (String r : new String[] {"dial", "agents"}) {
      if (path.startsWith("/" + r + "/")) {
        return r;
      }
    }
    return "other";
  }

  private void health(HttpServerRequest req) {
    boolean ready = node.isReady();
    node.stats().whenComplete((s, e) -> {
      var o = JsonViews.JSON.createObjectNode();
      o.put("status", ready ? "ready" : "starting");
      o.put("id", node.id().toHex());
      o.put("udp", node.address().toString());
      if (s != null) {
        o.put("contacts", s.routingTableSize());
        o.put("records", s.storedRecords());
      }
      json(req, ready ? 200 : 503, o);
    });
  }

  private void metrics(HttpServerRequest req) {
    meters.scrape(node.stats()).whenComplete((text, e) -> {
      if (e != null) {
        reply(req, ApiError.of(e));
        return;
      }
      req.response().setStatusCode(200).putHeader("content-type", NodeMeters.CONTENT_TYPE).end(text);
    });
  }

  /** Runs a DHT read if the node is ready (503 if not), timing it into the histogram. */
  private void ready(HttpServerRequest req, String op, java.util.function.Supplier<CompletionStage<?>> call) {
    if (!node.isReady()) {
      reply(req, ApiError.notReady());
      return;
    }
    long start = System.nanoTime();
    CompletionStage<?> f = call.get();
    f.whenComplete((body, error) -> {
      meters.gatewayRead(op, System.nanoTime() - start);
      if (error != null) {
        ApiError err = ApiError.of(error);
        if (err.status() >= 500) {
          LOG.warn("gateway.failed", "op", op, "code", err.code(), "message", err.message());
        }
        reply(req, err);
      } else {
        json(req, 200, body);
      }
    });
  }

  private static String segment(String path, String prefix) {
    String raw = path.substring(prefix.length());
    if (raw.isEmpty() || raw.contains("/")) {
      throw new IllegalArgumentException("expected " + prefix + "{value}, got " + LogSafe.clip(path));
    }
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String word(HttpServerRequest req, String param) {
    String v = req.getParam(param);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("missing query parameter '" + param + "'");
    }
    if (!WORD.matcher(v).matches()) {
      throw new IllegalArgumentException(param + " '" + LogSafe.clip(v) + "' is not a lowercase word of 1..32 "
          + "characters [a-z0-9._-]");
    }
    return v;
  }

  private static void reply(HttpServerRequest req, ApiError e) {
    json(req, e.status(), JsonViews.error(e.code(), e.message(), e.reason()));
  }

  private static void json(HttpServerRequest req, int status, Object body) {
    if (req.response().ended()) {
      return;
    }
    req.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
        .end(JsonViews.write(body) + "\n");
  }

  // ---- WebSocket ----

  private void handshake(ServerWebSocketHandshake hs) {
    try {
      if (!hs.path().startsWith("/watch/")) {
        hs.reject(404);
        return;
      }
      DialNumber.resolve(segment(hs.path(), "/watch/"));
      if (!node.isReady()) {
        hs.reject(503);
        return;
      }
      if (watchers.get() >= MAX_WATCHERS) {
        hs.reject(503);
        return;
      }
      hs.accept();
    } catch (RuntimeException e) {
      hs.reject(400);
    }
  }

  private void watch(ServerWebSocket ws) {
    DialNumber number;
    try {
      number = DialNumber.resolve(segment(ws.path(), "/watch/"));
    } catch (RuntimeException e) {
      ws.close((short) 1008, "bad number");
      return;
    }
    if (watchers.incrementAndGet() > MAX_WATCHERS) {
      watchers.decrementAndGet();
      ws.close((short) 1013, "too many watchers");
      return;
    }
    LOG.info("gateway.watch_open", "number", number, "remote", ws.remoteAddress());
    NumberWatch w = resolver.watch(number, event -> {
      if (!ws.isClosed()) {
        ws.writeTextMessage(JsonViews.write(JsonViews.event(event)));
      }
    });
    w.ready().whenComplete((v, e) -> {
      if (e != null) {
        ApiError err = ApiError.of(e);
        ws.close((short) 1011, err.code());
      } else if (!ws.isClosed()) {
        ws.writeTextMessage(JsonViews.write(JsonViews.watching(number)));
      }
    });
    ws.closeHandler(v -> {
      w.cancel();
      watchers.decrementAndGet();
      LOG.info("gateway.watch_closed", "number", number);
    });
    ws.textMessageHandler(text -> { }); // clients have nothing to say; ignore
  }

  /** Helpers for echoing client input safely. */
  static final class LogSafe {
    private LogSafe() {}

    static String clip(String s) {
      String c = s.length() > 64 ? s.substring(0, 64) + "..." : s;
      StringBuilder sb = new StringBuilder();
      for (char ch : c.toCharArray()) {
        sb.append(ch >= ' ' && ch < 127 ? String.valueOf(ch) : String.format("\\u%04x", (int) ch));
      }
      return sb.toString();
    }
  }

}
