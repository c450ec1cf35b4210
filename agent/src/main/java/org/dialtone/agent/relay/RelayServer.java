package org.dialtone.agent.relay;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.reach.relay.CarryResult;
import org.dialtone.agent.reach.relay.Circuit;
import org.dialtone.agent.reach.relay.RelayBook;
import org.dialtone.agent.reach.relay.RelayMessage;
import org.dialtone.agent.reach.relay.RelayResult;
import org.dialtone.agent.reach.relay.RelayWire;
import org.dialtone.agent.reach.relay.RelayWireException;
import org.dialtone.agent.reach.relay.Reservation;
import org.dialtone.agent.secure.ClientHandshake;
import org.dialtone.agent.secure.FrameCipher;
import org.dialtone.agent.wire.Frame;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.rpc.RateLimiter;
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
 * with an answer smaller than the request. Thread-safe: the book and tables are guarded by this object.
 */
public final class RelayServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RelayServer.class.getName());
  /** Where host agents reserve. */
  public static final String RESERVE_PATH = "/relay/reserve";
  /** Where host agents take circuits: this prefix and the token in hex. */
  public static final String ACCEPT_PREFIX = "/relay/accept/";
  /** Where diallers connect: this prefix and the host's key in hex. */
  public static final String CIRCUIT_PREFIX = "/relay/";
  /** Every code a relay counts a refusal or a closed circuit under (see {@link RelayStats#refusals()}). */
  public static final java.util.List<String> REFUSAL_CODES = java.util.stream.Stream.concat(
      java.util.Arrays.stream(org.dialtone.agent.reach.relay.RelayRefusal.values()).map(Enum::name),
      java.util.stream.Stream.of("NOT_PROVEN", "NOT_RESERVED", "RATE_LIMITED", "BUSY", "BAD_MESSAGE", "BAD_PATH", "NO_CIRCUIT",
          "ACCEPT_TIMEOUT", "BYTE_LIMIT", "DURATION_LIMIT")).toList();
  private static final int MAX_MESSAGE = 2 * (Frame.MAX_ENCODED + FrameCipher.TAG_BYTES);
  private static final int MAX_TRACKED_ADDRESSES = 4_096;
  private static final HexFormat HEX = HexFormat.of();

  private final Vertx vertx;
  private final Clock clock;
  private final RelayServerOptions options;
  private final RelayBook book;
  private final HttpServer http;
  private final WebSocketClient dialBackClient;
  private final SecureRandom random = new SecureRandom();
  // Diallers are anonymous to the relay (keys are proven end to end, not to us): this key stands for them in the book.
  private final Identity relayIdentity = Identity.generate();
  private final RateLimiter circuitRequests;
  private final RateLimiter dialBacks;
  private final Map<PublicKey, ServerWebSocket> reserved = new HashMap<>();
  private final Map<String, Pending> pending = new HashMap<>();
  private final Map<Long, WebSocketBase[]> spliced = new HashMap<>();
  private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();
  private final AtomicLong reservationsGranted = new AtomicLong();
  private final AtomicLong circuitsOpened = new AtomicLong();
  private final AtomicLong bytesRelayed = new AtomicLong();
  private final AtomicLong dialBacksMade = new AtomicLong();
  private final AtomicLong dialBacksReachable = new AtomicLong();
  private int unprovenSockets;
  private final long expiryTimer;

  private record Pending(Circuit circuit, ServerWebSocket dialler, long timer) {}

  private RelayServer(Vertx vertx, Clock clock, RelayServerOptions options, HttpServer http) {
    this.vertx = vertx;
    this.clock = clock;
    this.options = options;
    this.book = new RelayBook(clock, options.limits());
    this.http = http;
    this.circuitRequests = new RateLimiter(options.circuitRequestsPerSecond(), options.circuitRequestBurst(),
        MAX_TRACKED_ADDRESSES);
    this.dialBacks = new RateLimiter(1000.0 / options.dialBackSpacing().toMillis(), 1, MAX_TRACKED_ADDRESSES);
    this.dialBackClient = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(MAX_MESSAGE)
        .setMaxMessageSize(MAX_MESSAGE).setConnectTimeout((int) options.dialBackTimeout().toMillis()));
    this.expiryTimer = vertx.setPeriodic(1_000, id -> expire());
  }

  /** Starts a relay on {@code host:port} (TCP; port 0 picks a free one) with {@code options}, on {@code clock}. */
  public static CompletableFuture<RelayServer> start(Vertx vertx, Clock clock, String host, int port,
      RelayServerOptions options) {
    HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
        .setMaxWebSocketFrameSize(MAX_MESSAGE).setMaxWebSocketMessageSize(MAX_MESSAGE));
    RelayServer relay = new RelayServer(vertx, clock, options, http);
    http.webSocketHandler(relay::onSocket);
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
  public synchronized RelayStats stats() {
    Map<String, Long> byCode = new HashMap<>();
    refusals.forEach((k, v) -> byCode.put(k, v.get()));
    book.refusals().forEach((k, v) -> byCode.merge(k.name(), v, Long::sum));
    return new RelayStats(book.reservations(), book.circuits(), reservationsGranted.get(), circuitsOpened.get(),
        bytesRelayed.get(), dialBacksMade.get(), dialBacksReachable.get(), byCode);
  }

  /** Stops listening and closes every socket. */
  public CompletableFuture<Void> closeAsync() {
    vertx.cancelTimer(expiryTimer);
    return http.close().toCompletionStage().toCompletableFuture()
        .thenCompose(v -> dialBackClient.close().toCompletionStage().toCompletableFuture())
        .exceptionally(e -> null);
  }

  @Override
  public void close() {
    closeAsync().join();
  }

  private void onSocket(ServerWebSocket ws) {
    String path = ws.path();
    if (RESERVE_PATH.equals(path)) {
      onReserveSocket(ws);
    } else if (path.startsWith(ACCEPT_PREFIX)) {
      onAccept(ws, path.substring(ACCEPT_PREFIX.length()));
    } else if (path.startsWith(CIRCUIT_PREFIX)) {
      onDialler(ws, path.substring(CIRCUIT_PREFIX.length()));
    } else {
      refuse(ws, "BAD_PATH");
    }
  }

  // ---- reservations ----

  private void onReserveSocket(ServerWebSocket ws) {
    synchronized (this) {
      // sockets without a reservation are bounded: twice the reservations a relay may hold, each for
      // proofTimeout + dialBackTimeout at most (proof, an optional dial-back, then RESERVE)
      if (unprovenSockets >= 2 * options.limits().maxReservations()) {
        refuse(ws, "BUSY");
        return;
      }
      unprovenSockets++;
    }
    byte[] nonce = new byte[RelayMessage.NONCE_BYTES];
    random.nextBytes(nonce);
    String observedIp = ws.remoteAddress().hostAddress();
    PeerAddress from = PeerAddress.of(new java.net.InetSocketAddress(observedIp, ws.remoteAddress().port()));
    PublicKey[] proven = {null};
    boolean[] counted = {true};
    Runnable proofDone = () -> {
      synchronized (this) {
        if (counted[0]) {
          counted[0] = false;
          unprovenSockets--;
        }
      }
    };
    long proofTimer = vertx.setTimer(options.proofTimeout().plus(options.dialBackTimeout()).toMillis(), t -> {
      if (counted[0]) { // no reservation yet: a socket may not sit here for free
        refuse(ws, proven[0] == null ? "NOT_PROVEN" : "NOT_RESERVED");
      }
    });
    ws.closeHandler(v -> {
      vertx.cancelTimer(proofTimer);
      proofDone.run();
      synchronized (this) {
        if (proven[0] != null && reserved.get(proven[0]) == ws) {
          reserved.remove(proven[0]);
          book.cancelReservation(proven[0]);
        }
      }
    });
    ws.textMessageHandler(t -> refuse(ws, "BAD_MESSAGE"));
    boolean[] refused = {false};
    ws.binaryMessageHandler(buf -> {
      if (refused[0]) {
        return; // refused once: the socket is closing, later messages change nothing
      }
      RelayMessage m;
      try {
        m = RelayWire.decode(buf.getBytes());
      } catch (RelayWireException e) {
        refused[0] = true;
        refuse(ws, "BAD_MESSAGE");
        return;
      }
      if (m instanceof RelayMessage.Proof p) {
        if (proven[0] != null || !p.key().verify(RelayWire.proofMessage(nonce, p.key()), p.signature())) {
          refused[0] = true;
          refuse(ws, "NOT_PROVEN");
          return;
        }
        proven[0] = p.key();
      } else if (m instanceof RelayMessage.DialBack d && proven[0] != null) {
        dialBack(ws, observedIp, d.port(), proven[0]);
      } else if (m instanceof RelayMessage.Reserve && proven[0] != null) {
        if (reserve(ws, proven[0], from)) {
          vertx.cancelTimer(proofTimer);
          proofDone.run();
        }
      } else {
        refused[0] = true;
        refuse(ws, m instanceof RelayMessage.DialBack || m instanceof RelayMessage.Reserve ? "NOT_PROVEN"
            : "BAD_MESSAGE");
      }
    });
    send(ws, new RelayMessage.Challenge(nonce, observedIp));
  }

  /** Reserves or renews; true when granted. */
  private boolean reserve(ServerWebSocket ws, PublicKey key, PeerAddress from) {
    RelayMessage answer;
    ServerWebSocket replaced = null;
    synchronized (this) {
      RelayResult<Reservation> r = book.reserve(key, from);
      if (r instanceof RelayResult.Granted<Reservation> g) {
        replaced = reserved.put(key, ws);
        reservationsGranted.incrementAndGet();
        answer = new RelayMessage.Reserved(options.limits().reservationTtlMillis());
      } else {
        answer = new RelayMessage.Refused(((RelayResult.Refused<Reservation>) r).reason().name());
      }
    }
    if (replaced != null && replaced != ws && !replaced.isClosed()) {
      replaced.close(AgentError.CLOSED.closeCode(), "reservation moved"); // the same key reserved again elsewhere
    }
    send(ws, answer);
    return answer instanceof RelayMessage.Reserved;
  }

  /** Dials {@code port} at the requester's own IP address, never another, and sees whether its key answers. */
  private void dialBack(ServerWebSocket ws, String observedIp, int port, PublicKey key) {
    PeerAddress ip = PeerAddress.of(new java.net.InetSocketAddress(observedIp, 0));
    synchronized (this) {
      if (!dialBacks.tryAcquire(ip, clock.nanoTime())) {
        count("RATE_LIMITED");
        send(ws, new RelayMessage.Refused("RATE_LIMITED"));
        return;
      }
    }
    dialBacksMade.incrementAndGet();
    ClientHandshake hs = new ClientHandshake(relayIdentity, key, false);
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    var probe = dialBackClient.webSocket();
    probe.binaryMessageHandler(b -> {
      try {
        hs.onServerHello(b.getBytes()); // verifies the signature over our fresh hello and that the key is the one
        result.complete(true);
      } catch (RuntimeException e) {
        result.complete(false);
      }
      probe.close(AgentError.CLOSED.closeCode(), "dial-back done");
    });
    probe.closeHandler(v -> result.complete(false));
    long timer = vertx.setTimer(options.dialBackTimeout().toMillis(), t -> {
      result.complete(false);
      probe.close();
    });
    probe.connect(new WebSocketConnectOptions().setHost(observedIp).setPort(port).setURI("/")
        .setTimeout(options.dialBackTimeout().toMillis())).onComplete(ar -> {
          if (ar.failed()) {
            result.complete(false);
          } else {
            probe.writeBinaryMessage(Buffer.buffer(hs.hello()));
          }
        });
    result.thenAccept(reachable -> {
      vertx.cancelTimer(timer);
      if (reachable) {
        dialBacksReachable.incrementAndGet();
      }
      send(ws, new RelayMessage.DialBackResult(reachable));
    });
  }

  // ---- circuits ----

  private void onDialler(ServerWebSocket ws, String hostHex) {
    ws.pause(); // the dialler's hello waits in the socket until the host takes the circuit
    PublicKey host;
    try {
      host = PublicKey.ofHex(hostHex);
    } catch (RuntimeException e) {
      refuse(ws, "BAD_PATH");
      return;
    }
    String ip = ws.remoteAddress().hostAddress();
    PeerAddress from = PeerAddress.of(new java.net.InetSocketAddress(ip, ws.remoteAddress().port()));
    String refusal = null;
    boolean bookRefused = false;
    ServerWebSocket reservation = null;
    byte[] token = new byte[RelayMessage.TOKEN_BYTES];
    synchronized (this) {
      if (!circuitRequests.tryAcquire(PeerAddress.of(new java.net.InetSocketAddress(ip, 0)), clock.nanoTime())) {
        refusal = "RATE_LIMITED";
      } else {
        reservation = reserved.get(host);
        RelayResult<Circuit> r = reservation == null ? null
            : book.openCircuit(relayIdentity.publicKey(), from, host);
        if (reservation == null) {
          refusal = "NO_RESERVATION";
        } else if (r instanceof RelayResult.Refused<Circuit> no) {
          refusal = no.reason().name();
          bookRefused = true;
        } else {
          Circuit c = ((RelayResult.Granted<Circuit>) r).value();
          random.nextBytes(token);
          String key = HEX.formatHex(token);
          long timer = vertx.setTimer(options.acceptTimeout().toMillis(), t -> {
            Pending p;
            synchronized (this) {
              p = pending.remove(key);
              if (p != null) {
                book.close(p.circuit().id());
              }
            }
            if (p != null) {
              refuse(p.dialler(), "ACCEPT_TIMEOUT");
            }
          });
          pending.put(key, new Pending(c, ws, timer));
          ws.closeHandler(v -> {
            synchronized (this) {
              Pending p = pending.remove(key);
              if (p != null) {
                vertx.cancelTimer(p.timer());
                book.close(p.circuit().id());
              }
            }
          });
        }
      }
    }
    if (refusal != null) {
      if (bookRefused) {
        closeRefused(ws, refusal); // the book counted it
      } else {
        refuse(ws, refusal);
      }
      return;
    }
    send(reservation, new RelayMessage.CircuitOffer(token));
  }

  private void onAccept(ServerWebSocket ws, String tokenHex) {
    Pending p;
    synchronized (this) {
      p = pending.remove(tokenHex.toLowerCase(java.util.Locale.ROOT));
      if (p != null) {
        vertx.cancelTimer(p.timer());
        circuitsOpened.incrementAndGet();
        spliced.put(p.circuit().id(), new WebSocketBase[] {p.dialler(), ws});
      }
    }
    if (p == null) {
      refuse(ws, "NO_CIRCUIT");
      return;
    }
    long id = p.circuit().id();
    pipe(p.dialler(), ws, id);
    pipe(ws, p.dialler(), id);
    p.dialler().closeHandler(v -> ended(id, p.dialler(), ws));
    ws.closeHandler(v -> ended(id, ws, p.dialler()));
    p.dialler().resume();
  }

  /** Forwards {@code from}'s binary messages to {@code to} within the circuit's limits, pausing while {@code to} is full. */
  private void pipe(WebSocketBase from, WebSocketBase to, long id) {
    from.textMessageHandler(t -> limit(id, "BAD_MESSAGE", AgentError.BAD_HANDSHAKE));
    from.binaryMessageHandler(buf -> {
      CarryResult r;
      synchronized (this) {
        r = book.carry(id, buf.length());
      }
      switch (r) {
        case CARRIED -> {
          bytesRelayed.addAndGet(buf.length());
          to.writeBinaryMessage(buf);
          if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
          }
        }
        case CLOSED_BYTE_LIMIT -> limit(id, "BYTE_LIMIT", AgentError.RELAY_LIMIT);
        case CLOSED_DURATION -> limit(id, "DURATION_LIMIT", AgentError.RELAY_LIMIT);
        case NO_CIRCUIT -> limit(id, "NO_CIRCUIT", AgentError.RELAY_LIMIT);
      }
    });
  }

  /** One end closed: the other is closed with the same code (an agent's refusal reaches the other agent). */
  private void ended(long id, WebSocketBase closedEnd, WebSocketBase other) {
    synchronized (this) {
      book.close(id);
      spliced.remove(id);
    }
    Short code = closedEnd.closeStatusCode();
    short forward = code != null && (code >= 4000 && code <= 4999 || code == 1000) ? code
        : AgentError.CLOSED.closeCode();
    if (!other.isClosed()) {
      other.close(forward, closedEnd.closeReason() == null ? "closed" : closedEnd.closeReason());
    }
  }

  private void limit(long id, String why, AgentError code) {
    WebSocketBase[] ends;
    synchronized (this) {
      book.close(id);
      ends = spliced.remove(id);
    }
    count(why);
    if (ends != null) {
      LOG.log(Level.INFO, "relay circuit {0} closed: {1}", id, why);
      for (WebSocketBase end : ends) {
        if (!end.isClosed()) {
          end.close(code.closeCode(), why);
        }
      }
    }
  }

  /** Closes circuits past their lifetime (the book drops expired reservations itself). */
  private void expire() {
    java.util.List<Circuit> closed;
    synchronized (this) {
      closed = book.expire();
    }
    for (Circuit c : closed) {
      limit(c.id(), "DURATION_LIMIT", AgentError.RELAY_LIMIT);
    }
  }

  // ---- helpers ----

  private void send(ServerWebSocket ws, RelayMessage m) {
    if (!ws.isClosed()) {
      ws.writeBinaryMessage(Buffer.buffer(RelayWire.encode(m)));
    }
  }

  /** Counts a refusal by {@code code} and closes {@code ws} with it. */
  private void refuse(ServerWebSocket ws, String code) {
    count(code);
    closeRefused(ws, code);
  }

  private void closeRefused(ServerWebSocket ws, String code) {
    LOG.log(Level.DEBUG, "relay refused {0}: {1}", ws.remoteAddress(), code);
    if (!ws.isClosed()) {
      ws.close(AgentError.RELAY_REFUSED.closeCode(), code);
    }
  }

  private void count(String code) {
    refusals.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
  }
}
