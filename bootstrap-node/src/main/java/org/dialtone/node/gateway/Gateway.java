package org.dialtone.node.gateway;

import static org.dialtone.node.gateway.JsonReplies.json;
import static org.dialtone.node.gateway.JsonReplies.reply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.dialtone.dht.DhtNode;
import org.dialtone.node.log.StructuredLog;
import org.dialtone.node.metrics.NodeMeters;
import org.dialtone.resolver.NumberResolver;

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
 * POST /signals                 a signed signal (DTS1) for an agent attached here (see {@code SignalEndpoint})
 * WS  /signals/{key}             an agent's signal inbox, after it proves its key
 * </pre>
 *
 * <p>Every answer is JSON, errors included ({@code {"error": CODE, "message": ...}}), also those the HTTP decoder
 * refuses before a handler runs: a request URI over {@value #MAX_URI} characters is 414 {@code URI_TOO_LONG}
 * wherever it is caught (here, or by the decoder's request-line limit of {@value #MAX_REQUEST_LINE} bytes); headers
 * over {@value #MAX_HEADERS} bytes are 431 {@code HEADERS_TOO_LARGE}; a WebSocket refused at the upgrade gets a JSON
 * body with its status too.
 *
 * <p>The gateway listens, labels and routes each request, and wires the parts: {@code NodeStatusRoutes} (health,
 * status, metrics), {@code DirectoryRoutes} (dial, discover, numbers, agents, shards), {@link RecordsEndpoint},
 * {@code WatchEndpoint} (the WebSocket watches), {@link WebAssets}; they answer through {@code JsonReplies} and read
 * their inputs with {@code RequestParams}.
 */
public final class Gateway implements AutoCloseable {
  private static final StructuredLog LOG = StructuredLog.of("gateway");
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

  private final NodeMeters meters;
  private final WebAssets web = WebAssets.load();
  private final RecordsEndpoint records;
  private final WatchEndpoint watches;
  private final DirectoryRoutes directory;
  private final NodeStatusRoutes status;
  private final SignalEndpoint signals;
  private HttpServer server;

  private Gateway(Vertx vertx, DhtNode node, NumberResolver resolver, NodeMeters meters) {
    this.meters = meters;
    this.signals = new SignalEndpoint(vertx, node, meters);
    this.records = new RecordsEndpoint(node, meters);
    this.watches = new WatchEndpoint(node, resolver, WatchBudget.forNode(node.config().maxWatches()));
    meters.bindWatchers(watches::watchers);
    this.directory = new DirectoryRoutes(node, resolver, meters);
    this.status = new NodeStatusRoutes(node, meters, this::port, watches::watchers);
  }

  /**
   * Starts the gateway on {@code host:port} (0 picks a free port).
   *
   * @param meters where the gateway counts its requests and times its DHT reads, and what {@code /metrics} shows
   */
  public static CompletableFuture<Gateway> start(Vertx vertx, DhtNode node, NumberResolver resolver,
      NodeMeters meters, String host, int port) {
    Gateway g = new Gateway(vertx, node, resolver, meters);
    HttpServer server = vertx.createHttpServer(new HttpServerOptions()
            .setMaxInitialLineLength(MAX_REQUEST_LINE).setMaxHeaderSize(MAX_HEADERS))
        .requestHandler(g::handle)
        .invalidRequestHandler(req -> JsonReplies.decoderRefused(req, MAX_URI, MAX_HEADERS));
    return server.listen(port, host).toCompletionStage().toCompletableFuture().thenApply(s -> {
      g.server = s;
      LOG.info("gateway.listening", "http", NodeStatusRoutes.hostPort(host, s.actualPort()));
      return g;
    });
  }

  /** The port the gateway listens on. */
  public int port() {
    return server.actualPort();
  }

  /** Signal sessions (browser agents' inboxes) open now. */
  public int signalSessions() {
    return signals.sessions();
  }

  /** WebSocket watches open now. */
  public int watchers() {
    return watches.watchers();
  }

  /** The bytes a first visit to the web page transfers (page, script, style, library). */
  public long pageWeight() {
    return web.pageWeight();
  }

  /** Adds fields to {@code /status} (the node runner's uptime, data directory, advertised address). */
  public void statusExtras(Supplier<ObjectNode> extras) {
    status.extras(extras);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private void handle(HttpServerRequest req) {
    long start = System.nanoTime();
    String route = route(req.path());
    req.response().endHandler(v ->
        meters.gatewayRequest(route, req.response().getStatusCode(), System.nanoTime() - start));
    if (req.uri().length() > MAX_URI) {
      reply(req, JsonReplies.uriTooLong(MAX_URI));
      return;
    }
    if (SignalEndpoint.wants(req)) {
      signals.handle(req);
      return;
    }
    if (WatchEndpoint.wants(req)) {
      watches.upgrade(req);
      return;
    }
    if (req.path().equals("/records")) {
      records.handle(req);
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      reply(req, new ApiError(405, "METHOD_NOT_ALLOWED", "use GET (only POST /records and POST /signals take a "
          + "body)", null));
      return;
    }
    String path = req.path();
    try {
      if (status.serve(req, path) || directory.serve(req, path)) {
        return;
      }
      if (web.get(path).isPresent() && (!path.equals("/") || wantsHtml(req))) {
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

  /** A browser asks for HTML first; curl, the CLI and programs get the JSON index at {@code /}. */
  private static boolean wantsHtml(HttpServerRequest req) {
    String accept = req.getHeader("accept");
    return accept != null && accept.contains("text/html");
  }

  /** The route label of a path: one of a fixed set, so a client cannot create series. */
  static String route(String path) {
    if (path.equals("/")) {
      return "root";
    }
    if (path.startsWith("/web/") || path.equals("/dialtone.js")) {
      return "web";
    }
    for (String r : new String[] {"health", "metrics", "discover", "numbers", "shards", "records", "signals"}) {
      if (path.equals("/" + r)) {
        return r;
      }
    }
    for (String r : new String[] {"dial", "agents", "signals"}) {
      if (path.startsWith("/" + r + "/")) {
        return r;
      }
    }
    return "other";
  }
}
