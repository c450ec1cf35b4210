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
import org.dialtone.node.metrics.LatencyHistogram;
import org.dialtone.node.metrics.PrometheusText;
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
 * GET /metrics                   Prometheus text
 * WS  /watch/{number}            JOINED / LEFT / SHARED / HOSTING events as JSON text frames
 * </pre>
 */
public final class Gateway implements AutoCloseable {
  private static final StructuredLog LOG = StructuredLog.of("gateway");
  private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64}");
  private static final int MAX_URI = 512;
  /**
   * WebSocket watches at once at most; each holds two DHT watches, so the node's own {@code maxWatches} / 2 lowers it
   * (see {@link WatchBudget}).
   */
  public static final int MAX_WATCHERS = WatchBudget.MAX_TOTAL;

  private final DhtNode node;
  private final NumberResolver resolver;
  private final LatencyHistogram latency;
  private final AtomicInteger watchers = new AtomicInteger();
  private final WatchBudget budget;
  private HttpServer server;

  private Gateway(DhtNode node, NumberResolver resolver, LatencyHistogram latency) {
    this.node = node;
    this.resolver = resolver;
    this.latency = latency;
    this.budget = WatchBudget.forNode(node.config().maxWatches());
  }

  /** Starts the gateway on {@code host:port} (0 picks a free port). */
  public static CompletableFuture<Gateway> start(Vertx vertx, DhtNode node, NumberResolver resolver,
      LatencyHistogram latency, String host, int port) {
    Gateway g = new Gateway(node, resolver, latency);
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
    node.stats().whenComplete((s, e) -> {
      if (e != null) {
        reply(req, ApiError.of(e));
        return;
      }
      req.response().setStatusCode(200).putHeader("content-type", PrometheusText.CONTENT_TYPE)
          .end(PrometheusText.render(s, node.isReady(), latency, watchers.get()));
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
      latency.observe(op, System.nanoTime() - start);
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
      java.util.Optional<String> refusal = budget.refusal(clientOf(hs.remoteAddress()));
      if (refusal.isPresent()) {
        LOG.info("gateway.watch_refused", "remote", hs.remoteAddress(), "reason", refusal.get());
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
    String client = clientOf(ws.remoteAddress());
    if (!budget.tryAcquire(client)) { // raced past the handshake's check
      refuse(ws, "OVERLOADED", "too many watches");
      return;
    }
    watchers.incrementAndGet();
    LOG.info("gateway.watch_open", "number", number, "remote", ws.remoteAddress());
    NumberWatch w = resolver.watch(number, event -> {
      if (!ws.isClosed()) {
        ws.writeTextMessage(JsonViews.write(JsonViews.event(event)));
      }
    });
    w.ready().whenComplete((v, e) -> {
      if (e != null) {
        ApiError err = ApiError.of(e);
        LOG.info("gateway.watch_failed", "number", number, "code", err.code(), "message", err.message());
        refuse(ws, err.code(), err.message());
      } else if (!ws.isClosed()) {
        ws.writeTextMessage(JsonViews.write(JsonViews.watching(number)));
      }
    });
    ws.closeHandler(v -> {
      w.cancel();
      watchers.decrementAndGet();
      budget.release(client);
      LOG.info("gateway.watch_closed", "number", number);
    });
    ws.textMessageHandler(text -> { }); // clients have nothing to say; ignore
  }

  /**
   * Tells a client its watch is refused, never leaving a silent socket: a JSON error frame, then a close whose reason
   * is the same JSON, cut to the 123 bytes a close reason may hold.
   */
  private static void refuse(ServerWebSocket ws, String code, String message) {
    if (ws.isClosed()) {
      return;
    }
    String json = JsonViews.write(JsonViews.error(code, LogSafe.clip(message), null));
    ws.writeTextMessage(json);
    String reason = JsonViews.write(JsonViews.JSON.createObjectNode().put("error", code));
    ws.close((short) 1013, reason.length() <= 123 ? reason : "{\"error\":\"OVERLOADED\"}");
  }

  private static String clientOf(io.vertx.core.net.SocketAddress remote) {
    return remote == null ? "?" : remote.hostAddress();
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
