package org.dialtone.agent.relay;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.agent.wire.EarlyClose;
import org.dialtone.agent.reach.relay.RelayMessage;
import org.dialtone.agent.reach.relay.RelayWire;
import org.dialtone.agent.reach.relay.RelayWireException;
import org.dialtone.dht.crypto.Identity;

/**
 * A host agent's side of a {@link RelayServer}'s reservation socket: it connects (outbound, so from behind any NAT),
 * proves its key by signing the relay's challenge, may ask for a dial-back, reserves, renews at half the reservation's
 * lifetime, and takes every circuit offered by opening {@code /relay/accept/<token>} and handing that socket to
 * {@code onCircuit} (which runs the agent's server handshake on it). Requests are answered in order, so the futures
 * wait in a queue. When the relay drops the socket, the reservation is lost: {@link #lost()} completes.
 */
public final class RelayReservation implements AutoCloseable {
  private final Vertx vertx;
  private final WebSocketClient client;
  private final URI relay;
  private final Identity identity;
  private final BiConsumer<ClientWebSocket, String> onCircuit;
  private final ClientWebSocket ws;
  private final CompletableFuture<RelayReservation> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> lost = new CompletableFuture<>();
  private final Queue<CompletableFuture<RelayMessage>> waiting = new ArrayDeque<>();
  private volatile String observed = "";
  private volatile long renewTimer = -1;
  private volatile long pingTimer = -1;
  /** A ping this often keeps the reservation socket's NAT mapping alive between renewals. */
  static final long PING_MILLIS = 30_000;
  private volatile boolean closed;

  private RelayReservation(Vertx vertx, WebSocketClient client, URI relay, Identity identity,
      BiConsumer<ClientWebSocket, String> onCircuit) {
    this.vertx = vertx;
    this.client = client;
    this.relay = relay;
    this.identity = identity;
    this.onCircuit = onCircuit;
    this.ws = client.webSocket();
  }

  /**
   * Connects to the relay at {@code relay} ({@code ws://host:port}) and proves {@code identity}'s key; completes
   * once the proof is sent (a relay that does not believe it refuses the next request with NOT_PROVEN).
   * {@code onCircuit} gets each accepted circuit's socket, not yet connected, and the IP address the relay saw the
   * dialler at (empty if it did not say): set its handlers, and it is connected right after.
   */
  public static CompletableFuture<RelayReservation> connect(Vertx vertx, WebSocketClient client, String relay,
      Identity identity, Duration timeout, BiConsumer<ClientWebSocket, String> onCircuit) {
    URI uri;
    try {
      uri = URI.create(relay);
      if (!"ws".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException("not ws://host:port");
      }
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new AgentException(AgentError.NOT_FOUND, "bad relay " + relay));
    }
    RelayReservation r = new RelayReservation(vertx, client, uri, identity, onCircuit);
    r.start(timeout);
    return r.ready.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .whenComplete((x, e) -> {
          if (e != null) {
            r.close();
          }
        });
  }

  /** The relay, {@code ws://host:port}. */
  public String relay() {
    return "ws://" + relay.getHost() + ":" + relay.getPort();
  }

  /** The endpoint diallers use: {@code ws://host:port/relay/<key hex>}. */
  public String endpoint() {
    return relay() + RelayServer.CIRCUIT_PREFIX + identity.publicKey().toHex();
  }

  /** The IP address the relay sees this agent at. */
  public String observed() {
    return observed;
  }

  /** Asks the relay to dial {@code port} at our observed address: true when it got there and saw our key proven. */
  public CompletableFuture<Boolean> dialBack(int port) {
    return request(new RelayMessage.DialBack(port)).thenApply(m -> {
      if (m instanceof RelayMessage.DialBackResult r) {
        return r.reachable();
      }
      throw refused("dial-back", m);
    });
  }

  /** Reserves (and renews at half the lifetime until closed); completes with the lifetime granted. */
  public CompletableFuture<Duration> reserve() {
    return request(new RelayMessage.Reserve()).thenApply(m -> {
      if (m instanceof RelayMessage.Reserved r) {
        scheduleRenewal(r.ttlMillis());
        return Duration.ofMillis(r.ttlMillis());
      }
      throw refused("reservation", m);
    });
  }

  private static AgentException refused(String what, RelayMessage m) {
    return new AgentException(AgentError.RELAY_REFUSED, what + ": " + (m instanceof RelayMessage.Refused r ? r.code()
        : "unexpected answer " + m));
  }

  /** Completes when the reservation socket closes (the relay went away, or {@link #close()}). */
  public CompletableFuture<Void> lost() {
    return lost;
  }

  @Override
  public void close() {
    closed = true;
    stopTimers();
    if (!ws.isClosed()) {
      ws.close(AgentError.CLOSED.closeCode(), "bye");
    }
    lost.complete(null);
  }

  private void start(Duration timeout) {
    ws.closeHandler(v -> {
      AgentException e = new AgentException(AgentError.ofCloseCode(ws.closeStatusCode()),
          "relay closed the reservation: " + ws.closeReason());
      ready.completeExceptionally(e);
      synchronized (waiting) {
        waiting.forEach(f -> f.completeExceptionally(e));
        waiting.clear();
      }
      stopTimers();
      lost.complete(null);
    });
    ws.binaryMessageHandler(buf -> onMessage(buf.getBytes()));
    ws.textMessageHandler(t -> ws.close(AgentError.MALFORMED_FRAME.closeCode(), "text"));
    ws.connect(new WebSocketConnectOptions().setHost(relay.getHost()).setPort(relay.getPort())
        .setURI(RelayServer.RESERVE_PATH).setTimeout(timeout.toMillis())).onComplete(ar -> {
          Short refusal = ar.failed() ? EarlyClose.code(ws) : null;
          if (refusal != null) {
            ready.completeExceptionally(new AgentException(AgentError.ofCloseCode(refusal),
                "relay refused the reservation: " + ws.closeReason()));
            lost.complete(null);
          } else if (ar.failed()) {
            ready.completeExceptionally(new AgentException(AgentError.CLOSED, "cannot reach relay " + relay(),
                ar.cause()));
            lost.complete(null);
          }
        });
  }

  private void stopTimers() {
    if (renewTimer >= 0) {
      vertx.cancelTimer(renewTimer);
    }
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
    }
  }

  private void onMessage(byte[] bytes) {
    RelayMessage m;
    try {
      m = RelayWire.decode(bytes);
    } catch (RelayWireException e) {
      ws.close(AgentError.MALFORMED_FRAME.closeCode(), "bad relay message");
      return;
    }
    if (m instanceof RelayMessage.Challenge c) {
      observed = c.observed();
      byte[] sig = identity.sign(RelayWire.proofMessage(c.nonce(), identity.publicKey()));
      ws.writeBinaryMessage(Buffer.buffer(RelayWire.encode(new RelayMessage.Proof(identity.publicKey(), sig))));
      if (pingTimer < 0 && !closed) {
        pingTimer = vertx.setPeriodic(PING_MILLIS, t -> {
          if (!ws.isClosed()) {
            ws.writePing(Buffer.buffer());
          }
        });
      }
      ready.complete(this);
    } else if (m instanceof RelayMessage.CircuitOffer o) {
      accept(o.token(), o.observed());
    } else {
      CompletableFuture<RelayMessage> f;
      synchronized (waiting) {
        f = waiting.poll();
      }
      if (f != null) {
        f.complete(m);
      }
    }
  }

  private CompletableFuture<RelayMessage> request(RelayMessage m) {
    CompletableFuture<RelayMessage> f = new CompletableFuture<>();
    synchronized (waiting) {
      if (ws.isClosed()) {
        return CompletableFuture.failedFuture(new AgentException(AgentError.CLOSED, "reservation closed"));
      }
      waiting.add(f);
      ws.writeBinaryMessage(Buffer.buffer(RelayWire.encode(m)));
    }
    return f;
  }

  private void scheduleRenewal(long ttlMillis) {
    if (closed) {
      return;
    }
    renewTimer = vertx.setTimer(Math.max(1, ttlMillis / 2), t -> reserve().exceptionally(e -> {
      ws.close(AgentError.CLOSED.closeCode(), "renewal refused");
      return null;
    }));
  }

  private void accept(byte[] token, String diallerIp) {
    if (closed) {
      return;
    }
    ClientWebSocket circuit = client.webSocket();
    onCircuit.accept(circuit, diallerIp); // handlers first: the dialler's hello may arrive with the upgrade's answer
    circuit.connect(new WebSocketConnectOptions().setHost(relay.getHost()).setPort(relay.getPort())
        .setURI(RelayServer.ACCEPT_PREFIX + HexFormat.of().formatHex(token))).onComplete(ar -> {
          if (ar.failed()) {
            circuit.close(); // nothing to take: the dialler times out at the relay
          }
        });
  }

  @Override
  public String toString() {
    return "RelayReservation[" + relay() + " for " + Objects.toString(identity.publicKey().toHex()) + "]";
  }
}
