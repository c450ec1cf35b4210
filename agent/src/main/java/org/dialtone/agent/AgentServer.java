package org.dialtone.agent;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketBase;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.agent.relay.RelayReservation;
import org.dialtone.agent.secure.FrameCipher;
import org.dialtone.agent.secure.ServerHandshake;
import org.dialtone.agent.secure.SessionKeys;
import org.dialtone.agent.wire.Frame;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.time.Scheduler;
import org.dialtone.resolver.number.DialNumber;

/**
 * The listening side of an agent hosting a number: a Vert.x WebSocket server that runs the server handshake on each
 * socket and hands the connection its services. Bounded: at most {@link AgentOptions#maxConnections()} sockets, and
 * at most {@link AgentOptions#maxConnectionsPerAddress()} from one remote IP address (the rest are refused with
 * TOO_MANY_CONNECTIONS; a socket counts from open, through the handshake, to close), a handshake timeout, an idle
 * timeout, a frame size limit. Created by {@link Agent#host}; {@link #closeAsync()} publishes LEFT on the number and
 * stops listening.
 */
public final class AgentServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AgentServer.class.getName());

  private final AgentContext agent;
  private final DialNumber number;
  private final HttpServer http;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
  private volatile String published;
  private volatile boolean closing;
  private volatile RelayReservation relay;
  private volatile AutoCloseable lanAdvert;

  private AgentServer(AgentContext agent, DialNumber number, HttpServer http) {
    this.agent = agent;
    this.number = number;
    this.http = http;
  }

  static CompletableFuture<AgentServer> listen(AgentContext agent, DialNumber number, int port) {
    int max = Frame.MAX_ENCODED + FrameCipher.TAG_BYTES;
    Vertx vertx = agent.vertx();
    HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost(agent.options().host()).setPort(port)
        .setMaxWebSocketFrameSize(2 * max).setMaxWebSocketMessageSize(2 * max));
    AgentServer server = new AgentServer(agent, number, http);
    http.webSocketHandler(server::onSocket);
    return http.listen().toCompletionStage().toCompletableFuture().thenApply(h -> server);
  }

  /** The number hosted. */
  public DialNumber number() {
    return number;
  }

  /** The port listened on. */
  public int port() {
    return http.actualPort();
  }

  /**
   * The endpoint published in the HOST record: {@code ws://host:port} where it listens, the address a relay's
   * dial-back reached, or a relay's {@code ws://relay/relay/<key>}.
   */
  public String endpoint() {
    String e = published;
    String host = agent.options().host();
    return e != null ? e : "ws://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port(); // IPv6 in []
  }

  /** How diallers reach this server: {@link ConnectionPath#DIRECT}, or {@link ConnectionPath#RELAYED}. */
  public ConnectionPath path() {
    return relay != null ? ConnectionPath.RELAYED : ConnectionPath.DIRECT;
  }

  /** The relay reservation this server is reached through, if any. */
  public java.util.Optional<RelayReservation> reservation() {
    return java.util.Optional.ofNullable(relay);
  }

  /** Publishes {@code endpoint} (a dial-back showed it reachable) instead of the listening address. */
  void reachableAt(String endpoint) {
    this.published = endpoint;
  }

  /** Takes circuits from {@code reservation} and publishes its endpoint. */
  void relayedBy(RelayReservation reservation) {
    this.relay = reservation;
    this.published = reservation.endpoint();
  }

  /** Answers for the number on the LAN ({@link LanHosts#advertise}) until this server stops. */
  void advertisedOnLan(AutoCloseable advert) {
    this.lanAdvert = advert;
  }

  private void stopLanAdvert() {
    AutoCloseable a = lanAdvert;
    lanAdvert = null;
    if (a != null) {
      try {
        a.close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.DEBUG, "stopping the LAN advert of " + number + " failed: " + e);
      }
    }
  }

  /** True once closing or stopped: no new reservations. */
  boolean closing() {
    return closing;
  }

  /**
   * Serves a circuit the relay offered: the server handshake on the socket this agent opens to the relay, whose
   * offer named {@code diallerIp} as the address it sees the dialler at (empty if it did not).
   */
  void serveCircuit(WebSocketBase ws, String relay, String diallerIp) {
    serve(ws, "relay " + relay, ConnectionPath.RELAYED, diallerIp);
  }

  /** Sockets open now. */
  public int openConnections() {
    return open.get();
  }

  /** Sockets refused so far (limit, bad handshake, timeout). */
  public int refused() {
    return refused.get();
  }

  /** Publishes LEFT on the number and stops listening (open connections are closed). */
  public CompletableFuture<Void> closeAsync() {
    closing = true;
    stopLanAdvert();
    agent.open().serverStopped(this);
    if (relay != null) {
      relay.close();
    }
    return agent.resolver().leave(number).exceptionally(e -> null)
        .thenCompose(v -> http.close().toCompletionStage().toCompletableFuture())
        .exceptionally(e -> null);
  }

  @Override
  public void close() {
    closeAsync().join();
  }

  /** Stops listening without publishing anything (the HOST record was never published). */
  CompletableFuture<Void> stopListening() {
    closing = true;
    stopLanAdvert();
    if (relay != null) {
      relay.close();
    }
    return http.close().toCompletionStage().toCompletableFuture().exceptionally(e -> null);
  }

  private void onSocket(ServerWebSocket ws) {
    String address = ws.remoteAddress() == null ? "?" : ws.remoteAddress().hostAddress();
    if (ws.remoteAddress() != null && isLoopback(address) && agent.punching().punchedPort(ws.remoteAddress().port())) {
      serve(ws, "punched", ConnectionPath.PUNCHED); // our own QUIC bridge: never plaintext, its own limit
      return;
    }
    serve(ws, address, ConnectionPath.DIRECT);
  }

  /**
   * Runs the server handshake on {@code ws} (accepted here, or a relay circuit this agent opened), counting it
   * against the limits under {@code address}; the connection says {@code path}. Set up before the socket is
   * connected: the dialler's hello may come with the first bytes.
   */
  void serve(WebSocketBase ws, String address, ConnectionPath path) {
    serve(ws, address, path, "");
  }

  /** As {@link #serve(WebSocketBase, String, ConnectionPath)}, with the IP a relay saw the dialler at. */
  private void serve(WebSocketBase ws, String address, ConnectionPath path, String relayObservedPeer) {
    AgentOptions options = agent.options();
    if (open.incrementAndGet() > options.maxConnections()) {
      open.decrementAndGet();
      refuse(ws, AgentError.TOO_MANY_CONNECTIONS, "at most " + options.maxConnections() + " connections");
      return;
    }
    if (perAddress.merge(address, 1, Integer::sum) > options.maxConnectionsPerAddress()) {
      release(address);
      refuse(ws, AgentError.TOO_MANY_CONNECTIONS,
          "at most " + options.maxConnectionsPerAddress() + " connections from " + address);
      return;
    }
    AtomicBoolean held = new AtomicBoolean(true);
    Runnable releaseOnce = () -> {
      if (held.getAndSet(false)) {
        release(address);
      }
    };
    Vertx vertx = agent.vertx();
    Context ctx = vertx.getOrCreateContext();
    boolean loopback = isLoopback(address);
    ServerHandshake hs = new ServerHandshake(agent.identity(), options.allowPlaintextOnLoopback() && loopback);
    Scheduler scheduler = agent.connectionScheduler(ctx);
    Cancellable timer = scheduler.schedule(options.handshakeTimeout().toMillis(), () -> {
      refuse(ws, AgentError.TIMEOUT, "handshake not finished in " + options.handshakeTimeout().toMillis() + " ms");
      releaseOnce.run(); // also when the socket never opened (a relay circuit that could not connect)
    });
    ws.closeHandler(v -> {
      timer.cancel();
      releaseOnce.run();
    });
    int[] step = {0};
    ws.textMessageHandler(t -> refuse(ws, AgentError.BAD_HANDSHAKE, "text message in handshake"));
    ws.binaryMessageHandler(buf -> {
      try {
        if (step[0]++ == 0) {
          ws.writeBinaryMessage(Buffer.buffer(hs.onClientHello(buf.getBytes())));
          return;
        }
        SessionKeys keys = hs.onClientAuth(buf.getBytes());
        timer.cancel();
        AgentConnection c = new AgentConnection(vertx, ctx, scheduler, agent.clock(), ws, keys, false, path,
            agent.services(), agent.known(), options, relayObservedPeer);
        c.closed().thenRun(releaseOnce);
        agent.open().opened(c);
        c.start();
      } catch (AgentException e) {
        refuse(ws, e.code(), e.getMessage());
      } catch (RuntimeException e) {
        refuse(ws, AgentError.BAD_HANDSHAKE, String.valueOf(e.getMessage()));
      }
    });
  }

  /** Gives back one socket's share of both limits. */
  private void release(String address) {
    open.decrementAndGet();
    perAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
  }

  private void refuse(WebSocketBase ws, AgentError code, String why) {
    refused.incrementAndGet();
    LOG.log(Level.WARNING, "refused {0} on {1}: {2}", isClosed(ws) ? "a closed socket" : ws.remoteAddress(), number,
        why);
    if (!isClosed(ws)) {
      ws.close(code.closeCode(), code.name());
    }
  }

  private static boolean isClosed(WebSocketBase ws) {
    try {
      return ws.isClosed();
    } catch (IllegalStateException e) {
      return true; // a client socket that never connected
    }
  }

  private static boolean isLoopback(String host) {
    return host.startsWith("127.") || host.equals("0:0:0:0:0:0:0:1") || host.equals("::1");
  }
}
