package org.dialtone.node.gateway;

import static org.dialtone.node.gateway.JsonReplies.reply;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.dialtone.dht.DhtNode;
import org.dialtone.node.log.StructuredLog;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.NumberWatch;
import org.dialtone.resolver.number.DialNumber;

/**
 * {@code WS /watch/{number}}: a number's JOINED / LEFT / SHARED / HOSTING events as JSON text frames. Each request is
 * checked as an ordinary one first, so a refusal is a JSON answer with its status (a bad number 400, not ready or too
 * many watches 503, no upgrade 426); watches are bounded in total and per client address by a {@link WatchBudget},
 * and a watch refused after the upgrade is told with a JSON frame and close reason, never a silent socket.
 */
final class WatchEndpoint {
  private static final StructuredLog LOG = StructuredLog.of("gateway");
  private static final String PREFIX = "/watch/";

  private final DhtNode node;
  private final NumberResolver resolver;
  private final WatchBudget budget;
  private final AtomicInteger watchers = new AtomicInteger();

  WatchEndpoint(DhtNode node, NumberResolver resolver, WatchBudget budget) {
    this.node = node;
    this.resolver = resolver;
    this.budget = budget;
  }

  /** WebSocket watches open now. */
  int watchers() {
    return watchers.get();
  }

  /** True for a request this endpoint answers: a watch path or any WebSocket upgrade. */
  static boolean wants(HttpServerRequest req) {
    return req.path().startsWith(PREFIX) || req.canUpgradeToWebSocket();
  }

  /** Checks the request, then upgrades it to a WebSocket watch. */
  void upgrade(HttpServerRequest req) {
    try {
      if (!req.path().startsWith(PREFIX)) {
        reply(req, ApiError.notFound("no WebSocket endpoint at " + LogSafe.clip(req.path()) + "; watch at "
            + "/watch/{number}"));
        return;
      }
      DialNumber.resolve(RequestParams.segment(req.path(), PREFIX));
      if (!req.canUpgradeToWebSocket()) {
        reply(req, new ApiError(426, "UPGRADE_REQUIRED", "/watch/{number} is a WebSocket: connect with ws://",
            null));
        return;
      }
      if (!node.isReady()) {
        reply(req, ApiError.notReady());
        return;
      }
      Optional<String> refusal = budget.refusal(clientOf(req.remoteAddress()));
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
      number = DialNumber.resolve(RequestParams.segment(ws.path(), PREFIX));
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

  private static String clientOf(SocketAddress remote) {
    return remote == null ? "?" : remote.hostAddress();
  }
}
