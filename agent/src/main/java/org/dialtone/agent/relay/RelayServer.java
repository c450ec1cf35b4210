package org.dialtone.agent.relay;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.dialtone.agent.reach.relay.RelayRefusal;
import org.dialtone.agent.secure.FrameCipher;
import org.dialtone.agent.wire.Frame;
import org.dialtone.dht.time.Clock;

/**
 * A circuit relay over WebSocket, run by a node operator, for agents that nobody can dial (behind a NAT). Three
 * paths on one port:
 * <ul>
 *   <li>{@code /relay/reserve}: a host agent opens it (outbound, so from behind any NAT), signs the relay's fresh
 *       challenge with its key, may ask for a dial-back (is it reachable directly?), and reserves a slot; the socket
 *       stays open and carries circuit offers.</li>
 *   <li>{@code /relay/<host key hex>}: a dialler connects here; the relay opens a circuit in its {@link RelayBook}
 *       and offers it to the host over the reservation socket, with a random token.</li>
 *   <li>{@code /relay/accept/<token hex>}: the host takes the circuit (outbound again); the relay splices the two
 *       sockets' binary messages, counting every byte against the circuit's limits.</li>
 * </ul>
 * The relay carries the agents' end-to-end handshake and sealed frames without reading them: the host proves the
 * dialled key to the dialler, so the relay can neither impersonate the host nor alter a byte unnoticed. Every table
 * is bounded (the book's limits, pending circuits by the book's circuit limit, unproven sockets), circuit requests
 * and dial-backs are rate-limited per IP address, and a dial-back goes only to the requester's own observed address,
 * with an answer smaller than the request. Thread-safe: the book and tables are guarded by one lock.
 *
 * <p>The server routes each socket by path and wires the parts, which share a {@code RelayContext} (the book, the
 * socket tables, the refusal counters): {@code ReservationDesk} (challenge, proof, reservation), {@code DialBack}
 * and {@code CircuitSplicer} (offer, accept, splice within the circuit's limits).
 */
public final class RelayServer implements AutoCloseable {
  /** Where host agents reserve. */
  public static final String RESERVE_PATH = "/relay/reserve";
  /** Where host agents take circuits: this prefix and the token in hex. */
  public static final String ACCEPT_PREFIX = "/relay/accept/";
  /** Where diallers connect: this prefix and the host's key in hex. */
  public static final String CIRCUIT_PREFIX = "/relay/";
  /**
   * On a dialler's upgrade answer: the IP address the relay sees the reserved host at (its reservation socket's
   * remote address). The dialler punches towards that host only, never towards one the host claims.
   */
  public static final String OBSERVED_HOST_HEADER = "Dialtone-Observed-Host";
  /** Every code a relay counts a refusal or a closed circuit under (see {@link RelayStats#refusals()}). */
  public static final List<String> REFUSAL_CODES = Stream.concat(
      Arrays.stream(RelayRefusal.values()).map(Enum::name),
      Stream.of("NOT_PROVEN", "NOT_RESERVED", "RATE_LIMITED", "BUSY", "BAD_MESSAGE", "BAD_PATH", "NO_CIRCUIT",
          "ACCEPT_TIMEOUT", "BYTE_LIMIT", "DURATION_LIMIT")).toList();
  private static final int MAX_MESSAGE = 2 * (Frame.MAX_ENCODED + FrameCipher.TAG_BYTES);
  private static final int MAX_TRACKED_ADDRESSES = 4_096;

  private final RelayContext relay;
  private final HttpServer http;
  private final DialBack dialBack;
  private final ReservationDesk reservations;
  private final CircuitSplicer circuits;
  private final long expiryTimer;

  private RelayServer(Vertx vertx, Clock clock, RelayServerOptions options, HttpServer http) {
    this.relay = new RelayContext(vertx, clock, options);
    this.http = http;
    this.dialBack = new DialBack(relay, MAX_MESSAGE, MAX_TRACKED_ADDRESSES);
    this.reservations = new ReservationDesk(relay, dialBack);
    this.circuits = new CircuitSplicer(relay, MAX_TRACKED_ADDRESSES);
    this.expiryTimer = vertx.setPeriodic(1_000, id -> circuits.expire());
  }

  /** Starts a relay on {@code host:port} (TCP; port 0 picks a free one) with {@code options}, on {@code clock}. */
  public static CompletableFuture<RelayServer> start(Vertx vertx, Clock clock, String host, int port,
      RelayServerOptions options) {
    HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
        .setMaxWebSocketFrameSize(MAX_MESSAGE).setMaxWebSocketMessageSize(MAX_MESSAGE));
    RelayServer relay = new RelayServer(vertx, clock, options, http);
    // a request handler rather than a WebSocket handler: a dialler's upgrade answer carries a header
    http.requestHandler(relay::onRequest);
    return http.listen().toCompletionStage().toCompletableFuture().thenApply(h -> relay)
        .whenComplete((r, e) -> {
          if (e != null) {
            relay.close();
          }
        });
  }

  /** The TCP port listened on. */
  public int port() {
    return http.actualPort();
  }

  /** What the relay did so far. */
  public RelayStats stats() {
    synchronized (relay) {
      return new RelayStats(relay.book.reservations(), relay.book.circuits(), reservations.granted(),
          circuits.opened(), circuits.bytesRelayed(), dialBack.made(), dialBack.reachable(), relay.refusals());
    }
  }

  /** Stops listening and closes every socket. */
  public CompletableFuture<Void> closeAsync() {
    relay.vertx.cancelTimer(expiryTimer);
    return http.close().toCompletionStage().toCompletableFuture()
        .thenCompose(v -> dialBack.close())
        .exceptionally(e -> null);
  }

  @Override
  public void close() {
    closeAsync().join();
  }

  private void onRequest(HttpServerRequest req) {
    if (!req.canUpgradeToWebSocket()) {
      req.response().setStatusCode(400).end();
      return;
    }
    String path = req.path();
    if (path.startsWith(CIRCUIT_PREFIX) && !RESERVE_PATH.equals(path) && !path.startsWith(ACCEPT_PREFIX)) {
      circuits.observedHost(path.substring(CIRCUIT_PREFIX.length()))
          .ifPresent(ip -> req.response().putHeader(OBSERVED_HOST_HEADER, ip));
    }
    req.toWebSocket().onSuccess(this::onSocket);
  }

  private void onSocket(ServerWebSocket ws) {
    String path = ws.path();
    if (RESERVE_PATH.equals(path)) {
      reservations.onReserveSocket(ws);
    } else if (path.startsWith(ACCEPT_PREFIX)) {
      circuits.onAccept(ws, path.substring(ACCEPT_PREFIX.length()));
    } else if (path.startsWith(CIRCUIT_PREFIX)) {
      circuits.onDialler(ws, path.substring(CIRCUIT_PREFIX.length()));
    } else {
      relay.refuse(ws, "BAD_PATH");
    }
  }
}
