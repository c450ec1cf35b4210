package org.dialtone.node.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.HttpServerOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.NodeMetrics;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.node.log.StructuredLog;
import org.dialtone.node.metrics.NodeMeters;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.NumberWatch;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.number.NamedNumbers;

/**
 * The seed's BBS directory over HTTP, served by a DHT node from what the DHT holds, and a web page for people that
 * reads the same endpoints. The gateway stores nothing of its own: the one write, {@code POST /records}, passes on a
 * record that a browser agent signed with its own key, checked as a STORE is (see {@link BrowserRecords}), so no
 * client can make the node publish anything it could not have published itself.
 *
 * <pre>
 * GET /dial/{number}            the roster: agents, host, services (a number or a name: /dial/moonshine)
 * GET /discover?interest=crypto  agents that declared the interest
 * GET /numbers?service=files     numbers whose hosts offer the service (add &amp;detail=true for the hosts)
 * GET /agents/{key}              one agent (64 hex digits): its numbers and endpoints
 * GET /health                    200 once bootstrapped, 503 before
 * GET /status                    the node: id, addresses, routing table, records, peers (dialtone status reads it)
 * GET /metrics                   Prometheus text (see {@link NodeMeters})
 * POST /records                 a PRESENCE or LEFT record a browser agent signed (JSON as RecordCodec.toJson)
 * GET /shards                    the 71 primary shards and the named numbers: [{number, shard, name?, space}]
 * GET /  (Accept: text/html)     the node's web page; /web/app.js, /web/style.css and /dialtone.js with it
 * WS  /watch/{number}            JOINED / LEFT / SHARED / HOSTING events as JSON text frames
 * </pre>
 *
 * <p>Every answer is JSON, errors included ({@code {"error": CODE, "message": ...}}), also those the HTTP decoder
 * refuses before a handler runs: a request URI over {@value #MAX_URI} characters is 414 {@code URI_TOO_LONG}
 * wherever it is caught (here, or by the decoder's request-line limit of {@value #MAX_REQUEST_LINE} bytes); headers
 * over {@value #MAX_HEADERS} bytes are 431 {@code HEADERS_TOO_LARGE}; a WebSocket refused at the upgrade gets a JSON
 * body with its status too.
 */
public final class Gateway implements AutoCloseable {
  private static final StructuredLog LOG = StructuredLog.of("gateway");
  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64}");
  /** The longest request URI answered; longer is 414. */
  public static final int MAX_URI = 512;
  /** The decoder's request-line limit (method, URI, version): a URI past {@link #MAX_URI} is 414 either way. */
  public static final int MAX_REQUEST_LINE = 1024;
  /** The decoder's limit on all headers together; more is 431. */
  public static final int MAX_HEADERS = 8192;
  /**
   * WebSocket watches at once at most; each holds two DHT watches, so the node's own {@code maxWatches} / 2 lowers it
   * (see {@link WatchBudget}).
   */
  public static final int MAX_WATCHERS = WatchBudget.MAX_TOTAL;

  private final DhtNode node;
  private final NumberResolver resolver;
  private final NodeMeters meters;
  private final AtomicInteger watchers = new AtomicInteger();
  private static final int STATUS_PEERS = 20;
  private volatile java.util.function.Supplier<com.fasterxml.jackson.databind.node.ObjectNode> statusExtras =
      JsonViews.JSON::createObjectNode;
  private final WatchBudget budget;
  private final WebAssets web = WebAssets.load();
  private final RecordsEndpoint records;
  private HttpServer server;

  private Gateway(DhtNode node, NumberResolver resolver, NodeMeters meters) {
    this.node = node;
    this.resolver = resolver;
    this.meters = meters;
    meters.bindWatchers(watchers::get);
    this.budget = WatchBudget.forNode(node.config().maxWatches());
    this.records = new RecordsEndpoint(node, meters);
  }

  /**
   * Starts the gateway on {@code host:port} (0 picks a free port).
   *
   * @param meters where the gateway counts its requests and times its DHT reads, and what {@code /metrics} shows
   */
  public static CompletableFuture<Gateway> start(Vertx vertx, DhtNode node, NumberResolver resolver,
      NodeMeters meters, String host, int port) {
    Gateway g = new Gateway(node, resolver, meters);
    HttpServer server = vertx.createHttpServer(new HttpServerOptions()
            .setMaxInitialLineLength(MAX_REQUEST_LINE).setMaxHeaderSize(MAX_HEADERS))
        .requestHandler(g::handle)
        .invalidRequestHandler(Gateway::invalid);
    return server.listen(port, host).toCompletionStage().toCompletableFuture().thenApply(s -> {
      g.server = s;
      LOG.info("gateway.listening", "http", hostPort(host, s.actualPort()));
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

  /** What the HTTP decoder refused (a request line or headers too long, a malformed request): JSON too. */
  private static void invalid(HttpServerRequest req) {
    Throwable cause = req.decoderResult() == null ? null : req.decoderResult().cause();
    ApiError e;
    if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
      e = uriTooLong();
    } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
      e = new ApiError(431, "HEADERS_TOO_LARGE", "the request headers are over " + MAX_HEADERS + " bytes", null);
    } else {
      e = ApiError.badRequest("BAD_REQUEST", "a malformed HTTP request"
          + (cause == null ? "" : " (" + LogSafe.clip(String.valueOf(cause.getMessage())) + ")"));
    }
    req.response().putHeader("connection", "close");
    reply(req, e);
  }

  private static ApiError uriTooLong() {
    return new ApiError(414, "URI_TOO_LONG", "the request URI is over " + MAX_URI + " characters", null);
  }

  private void handle(HttpServerRequest req) {
    long start = System.nanoTime();
    String route = route(req.path());
    req.response().endHandler(v ->
        meters.gatewayRequest(route, req.response().getStatusCode(), System.nanoTime() - start));
    if (req.uri().length() > MAX_URI) {
      reply(req, uriTooLong());
      return;
    }
    if (req.path().startsWith("/watch/") || req.canUpgradeToWebSocket()) {
      upgrade(req);
      return;
    }
    if (req.path().equals("/records")) {
      records.handle(req);
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      reply(req, new ApiError(405, "METHOD_NOT_ALLOWED", "use GET (only POST /records takes a body)", null));
      return;
    }
    String path = req.path();
    try {
      if (path.equals("/health")) {
        health(req);
      } else if (path.equals("/status")) {
        status(req);
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
      } else if (path.equals("/shards")) {
        json(req, 200, JsonViews.namedNumbers(shards()));
      } else if (web.get(path).isPresent() && (!path.equals("/") || wantsHtml(req))) {
        WebAssets.serve(req, web.get(path).get());
      } else if (path.equals("/")) {
        json(req, 200, JsonViews.JSON.createObjectNode().put("service", "dialtone gateway")
            .put("endpoints", "/dial/{number} /discover?interest= /numbers?service= /agents/{key} /watch/{number} "
                + "/shards /health /status /metrics; a browser gets the web page here"));
      } else {
        reply(req, ApiError.notFound("no such endpoint: " + LogSafe.clip(path)));
      }
    } catch (RuntimeException e) {
      reply(req, ApiError.of(e));
    }
  }

  /** The 71 primary shards, then the named numbers beyond them, in shard order. */
  private static List<DialNumber> shards() {
    List<DialNumber> out = new ArrayList<>();
    for (int shard = 0; shard <= DialNumber.LAST_PRIMARY_SHARD; shard++) {
      out.add(DialNumber.parse("744-196884-" + shard));
    }
    NamedNumbers.all().values().stream().filter(n -> !out.contains(n)).forEach(out::add);
    return out;
  }

  /** A browser asks for HTML first; curl, the CLI and programs get the JSON index at {@code /}. */
  private static boolean wantsHtml(HttpServerRequest req) {
    String accept = req.getHeader("accept");
    return accept != null && accept.contains("text/html");
  }

  /** The bytes a first visit to the web page transfers (page, script, style, library). */
  public long pageWeight() {
    return web.pageWeight();
  }

  /** The route label of a path: one of a fixed set, so a client cannot create series. */
  static String route(String path) {
    if (path.equals("/")) {
      return "root";
    }
    if (path.startsWith("/web/") || path.equals("/dialtone.js")) {
      return "web";
    }
    for (String r : new String[] {"health", "metrics", "discover", "numbers", "shards", "records"}) {
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

  /** {@code dialtone status} reads this: who the node is, where, and what it holds and knows. */
  private void status(HttpServerRequest req) {
    node.stats().thenCombine(node.contacts(), (s, contacts) -> {
      var o = JsonViews.JSON.createObjectNode();
      o.put("status", node.isReady() ? "ready" : "starting");
      o.put("id", node.id().toHex());
      o.put("udp", node.address().toString());
      o.put("http", hostPort(req.localAddress().hostAddress(), port()));
      o.put("routingTable", s.routingTableSize());
      o.put("records", s.storedRecords());
      o.put("watchers", watchers.get());
      var m = node.metrics();
      o.putObject("traffic").put("datagramsIn", m.get(NodeMetrics.Counter.DATAGRAMS_IN))
          .put("datagramsOut", m.get(NodeMetrics.Counter.DATAGRAMS_OUT))
          .put("bytesIn", m.get(NodeMetrics.Counter.BYTES_IN)).put("bytesOut", m.get(NodeMetrics.Counter.BYTES_OUT));
      o.setAll(statusExtras.get());
      var peers = o.putArray("peers");
      contacts.stream().limit(STATUS_PEERS).forEach(c -> peers.addObject()
          .put("id", c.id().toHex().substring(0, 16)).put("udp", c.address().toString()));
      o.put("peersShown", Math.min(contacts.size(), STATUS_PEERS));
      return o;
    }).whenComplete((o, e) -> {
      if (e != null) {
        reply(req, ApiError.of(e));
      } else {
        json(req, 200, o);
      }
    });
  }

  /** Adds fields to {@code /status} (the node runner's uptime, data directory, advertised address). */
  public void statusExtras(java.util.function.Supplier<com.fasterxml.jackson.databind.node.ObjectNode> extras) {
    this.statusExtras = extras;
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
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + LogSafe.clip(raw) + "' is not valid percent-encoding (a '%' must "
          + "be followed by two hex digits)");
    }
  }

  private static String word(HttpServerRequest req, String param) {
    String v;
    try {
      v = req.getParam(param);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the query string is not valid percent-encoding (a '%' must be followed "
          + "by two hex digits)");
    }
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("missing query parameter '" + param + "'");
    }
    try {
      return Inputs.word(param, v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(param + " '" + LogSafe.clip(v) + "' is not a lowercase word of 1..32 "
          + "characters [a-z0-9._-]");
    }
  }

  static void reply(HttpServerRequest req, ApiError e) {
    json(req, e.status(), JsonViews.error(e.code(), e.message(), e.reason()));
  }

  static void json(HttpServerRequest req, int status, Object body) {
    if (req.response().ended()) {
      return;
    }
    req.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
        .end(JsonViews.write(body) + "\n");
  }

  // ---- WebSocket ----

  /**
   * A watch: checked as an ordinary request first, so a refusal is a JSON answer with its status (a bad number 400,
   * not ready or too many watches 503, no upgrade 426), then upgraded to a WebSocket.
   */
  private void upgrade(HttpServerRequest req) {
    try {
      if (!req.path().startsWith("/watch/")) {
        reply(req, ApiError.notFound("no WebSocket endpoint at " + LogSafe.clip(req.path()) + "; watch at "
            + "/watch/{number}"));
        return;
      }
      DialNumber.resolve(segment(req.path(), "/watch/"));
      if (!req.canUpgradeToWebSocket()) {
        reply(req, new ApiError(426, "UPGRADE_REQUIRED", "/watch/{number} is a WebSocket: connect with ws://",
            null));
        return;
      }
      if (!node.isReady()) {
        reply(req, ApiError.notReady());
        return;
      }
      java.util.Optional<String> refusal = budget.refusal(clientOf(req.remoteAddress()));
      if (refusal.isPresent()) {
        LOG.info("gateway.watch_refused", "remote", req.remoteAddress(), "reason", refusal.get());
        reply(req, new ApiError(503, "TOO_MANY_WATCHERS", refusal.get() + "; try another node or later", null));
        return;
      }
      req.toWebSocket().onSuccess(this::watch).onFailure(e -> LOG.debug("gateway.upgrade_failed", "error",
          StructuredLog.causeChain(e)));
    } catch (RuntimeException e) {
      reply(req, ApiError.of(e));
    }
  }

  private void watch(ServerWebSocket ws) {
    DialNumber number;
    try {
      number = DialNumber.resolve(segment(ws.path(), "/watch/"));
    } catch (RuntimeException e) {
      ws.close((short) 1008, closeReason(ApiError.of(e)));
      return;
    }
    String client = clientOf(ws.remoteAddress());
    if (!budget.tryAcquire(client)) { // raced past the upgrade's check
      refuse(ws, "TOO_MANY_WATCHERS", "too many watches");
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
   * A WebSocket close reason as JSON, {@code {"error":CODE,"message":...}}, within the protocol's 123 bytes (the
   * message is shortened, the code never).
   */
  static String closeReason(ApiError e) {
    String message = e.message();
    String reason = JsonViews.write(JsonViews.error(e.code(), message, null));
    while (reason.getBytes(StandardCharsets.UTF_8).length > 123 && !message.isEmpty()) {
      message = message.substring(0, Math.max(0, message.length() - 8));
      reason = JsonViews.write(JsonViews.error(e.code(), message.isEmpty() ? "" : message + "...", null));
    }
    return reason;
  }

  /**
   * Tells a client its watch is refused, never leaving a silent socket: a JSON error frame, then a close whose reason
   * is the same JSON, cut to the 123 bytes a close reason may hold.
   */
  private static void refuse(ServerWebSocket ws, String code, String message) {
    if (ws.isClosed()) {
      return;
    }
    ApiError e = new ApiError(503, code, LogSafe.clip(message), null);
    ws.writeTextMessage(JsonViews.write(JsonViews.error(e.code(), e.message(), null)));
    ws.close((short) 1013, closeReason(e));
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


  /** {@code host:port}, with an IPv6 literal in brackets ({@code [::1]:8440}). */
  static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }
}
