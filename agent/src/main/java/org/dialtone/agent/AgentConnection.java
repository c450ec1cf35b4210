package org.dialtone.agent;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketBase;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.agent.gossip.KnownNumbers;
import org.dialtone.agent.secure.SessionKeys;
import org.dialtone.agent.wire.Frame;
import org.dialtone.agent.wire.FrameType;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.time.Clock;
import org.dialtone.dht.time.Scheduler;

/**
 * An authenticated (and, by default, encrypted) connection between two agents, after the handshake. Either side opens
 * streams to the other's services; stream 0 carries acceptance, number gossip and connection errors. Everything runs
 * on the connection's Vert.x context; public methods may be called from any thread. Time comes from outside: the
 * idle timeout and the gossip period run on an injected {@link Scheduler} ({@link ConnectionTimers}), and gossip
 * reads the agent's {@link Clock}.
 *
 * <p>Bad input closes the connection with an {@link AgentError} close code: a frame that fails to decrypt, does not
 * parse, or is too large. An unknown service gets an error frame on its stream and the connection stays up.
 *
 * <p>Gossip is bounded per connection (attack 11 of {@code docs/threats.md}): one exchange in flight each way (a digest
 * sent waits for its offer; a digest received waits for its records before another is answered, and at most one is
 * answered per {@link #MIN_DIGEST_SPACING_MILLIS}; others get an empty offer); no gossip is queued while the send
 * queue is full; and a peer that leaves the send queue full for a quarter of the idle timeout (it does not read) is
 * closed with TIMEOUT, so it cannot grow our memory without limit.
 *
 * <p>The connection wires its parts: {@code FrameSocket} (sealed frames over the WebSocket, backpressure),
 * {@code ServiceStreams} (stream ids and services), {@code NumberGossip} (the bounded exchange on stream 0),
 * {@code SendQueueWatch} and {@link ConnectionTimers}; it keeps the lifecycle (ACCEPT, close) and frame dispatch.
 */
public final class AgentConnection {
  private static final System.Logger LOG = System.getLogger(AgentConnection.class.getName());
  /** Streams open at once per connection, each way. */
  public static final int MAX_STREAMS = ServiceStreams.MAX_STREAMS;
  /** The least time between two digests this side answers on one connection. */
  static final long MIN_DIGEST_SPACING_MILLIS = NumberGossip.MIN_DIGEST_SPACING_MILLIS;

  private final Vertx vertx;
  private final WebSocketBase ws;
  private final PublicKey peer;
  private final boolean dialler;
  private final ConnectionPath path;
  private final String relayObservedPeer;
  private final boolean plaintext;
  private final AgentOptions options;
  private final FrameSocket socket;
  private final ServiceStreams streams;
  private final NumberGossip gossip;
  private final ConnectionTimers timers;
  private final SendQueueWatch queueWatch;
  private final CompletableFuture<AgentConnection> ready = new CompletableFuture<>();
  private final CompletableFuture<AgentError> closed = new CompletableFuture<>();
  private volatile Consumer<String> chatListener = s -> {};
  private ServiceStream chatStream;

  AgentConnection(Vertx vertx, Context context, Scheduler scheduler, Clock clock, WebSocketBase ws,
      SessionKeys keys, boolean dialler, ConnectionPath path, Map<String, Service> services, KnownNumbers known,
      AgentOptions options, String relayObservedPeer) {
    this.path = path;
    this.relayObservedPeer = relayObservedPeer;
    this.vertx = vertx;
    this.ws = ws;
    this.peer = keys.peer();
    this.dialler = dialler;
    this.plaintext = keys.plaintext();
    this.options = options;
    this.socket = new FrameSocket(context, ws, keys);
    this.streams = new ServiceStreams(socket, dialler, services, (id, name) -> new ServiceStream(this, id, name),
        toString());
    this.gossip = new NumberGossip(socket, known, peer, clock, options.gossipInterval());
    this.timers = new ConnectionTimers(scheduler, options.idleTimeout(), options.gossipInterval(),
        new ConnectionTimers.Listener() {
          @Override
          public void idle(long silentMillis) {
            fail(AgentError.TIMEOUT, "nothing received for " + silentMillis + " ms");
          }

          @Override
          public void gossipDue() {
            gossip();
          }
        });
    this.queueWatch = new SendQueueWatch(scheduler, clock, options.idleTimeout(), new SendQueueWatch.Watched() {
      @Override
      public boolean writeQueueFull() {
        return ws.writeQueueFull();
      }

      @Override
      public long drains() {
        return socket.drains();
      }

      @Override
      public boolean closed() {
        return closed.isDone();
      }

      @Override
      public void fail(AgentError code, String why) {
        AgentConnection.this.fail(code, why);
      }
    });
  }

  /** The peer's key, proven in the handshake. */
  public PublicKey peer() {
    return peer;
  }

  /** Whether this agent dialled (rather than answered) this connection. */
  boolean dialler() {
    return dialler;
  }

  /**
   * The IP address the relay of a RELAYED connection saw the peer at (its reservation socket's, or its circuit
   * socket's, remote address), as the relay named it on a socket this agent opened; empty when not relayed or the
   * relay did not say. A punch aims random-port and birthday probes at this host only.
   */
  public Optional<String> relayObservedPeer() {
    return relayObservedPeer.isEmpty() ? Optional.empty() : Optional.of(relayObservedPeer);
  }

  /** How this connection's bytes travel: {@link ConnectionPath#DIRECT} or through a relay. */
  public ConnectionPath path() {
    return path;
  }

  /** True when frames are not encrypted (loopback, asked for explicitly). */
  public boolean plaintext() {
    return plaintext;
  }

  /** Completes with the close reason ({@link AgentError#CLOSED} for a normal close). */
  public CompletableFuture<AgentError> closed() {
    return closed;
  }

  /** Sets who hears chat messages arriving on this connection. */
  public AgentConnection onChat(Consumer<String> listener) {
    this.chatListener = listener;
    return this;
  }

  /** Sends a chat message to the peer's {@code chat} service. */
  public void chat(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    if (b.length > Frame.MAX_BODY) {
      throw new AgentException(AgentError.FRAME_TOO_LARGE, "a chat message is at most 64 KiB");
    }
    onContext(() -> {
      if (chatStream == null) {
        chatStream = streams.open(Services.CHAT);
      }
      chatStream.write(b);
    });
  }

  /** Streams {@code file} to the peer's {@code files} service; completes when the peer confirms its SHA-256. */
  public CompletableFuture<FileReceipt> sendFile(Path file) {
    CompletableFuture<FileReceipt> f = new CompletableFuture<>();
    onContext(() -> FileSender.send(vertx, this, streams.open(Services.FILES), file, f));
    return f;
  }

  /** Opens a stream to the peer's service {@code name}. */
  public CompletableFuture<ServiceStream> open(String name) {
    CompletableFuture<ServiceStream> f = new CompletableFuture<>();
    onContext(() -> {
      try {
        f.complete(streams.open(name));
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  /** Starts a gossip exchange now (it also runs on connect and every gossip interval). */
  public void gossip() {
    socket.onContext(gossip::start);
  }

  /** Closes the connection normally. */
  public CompletableFuture<Void> close() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    socket.onContext(() -> ws.close(AgentError.CLOSED.closeCode(), "bye").onComplete(ar -> f.complete(null)));
    return f;
  }

  /** True while the send queue is full. */
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  /** Runs {@code r} once the send queue drains (on the connection's thread). */
  public void whenDrained(Runnable r) {
    socket.whenDrained(r);
  }

  @Override
  public String toString() {
    return "AgentConnection[" + peer.toHex().substring(0, 8) + (dialler ? ", dialled" : ", accepted") + "]";
  }

  /** Peer digests left unanswered: one exchange was in flight, or one came too soon after the last. */
  public long digestsIgnored() {
    return gossip.digestsIgnored();
  }

  /** Bytes of sealed frames handed to the socket so far (queued or sent). */
  public long bytesSent() {
    return socket.bytesSent();
  }

  // ---- package: lifecycle and I/O ----

  /** Writers parked until the send queue drains (a paused file sender is one). */
  int drainWaiters() {
    return socket.drainWaiters();
  }

  CompletableFuture<AgentConnection> ready() {
    return ready;
  }

  /** Wires the socket; the listener (server side) sends ACCEPT, the dialler waits for it. */
  void start() {
    ws.binaryMessageHandler(buf -> onMessage(buf.getBytes()));
    ws.textMessageHandler(t -> fail(AgentError.MALFORMED_FRAME, "text message"));
    ws.drainHandler(v -> socket.drained());
    ws.closeHandler(v -> onClosed(AgentError.ofCloseCode(ws.closeStatusCode()), ws.closeReason()));
    ws.exceptionHandler(e -> LOG.log(Level.DEBUG, "socket error on {0}: {1}", this, e.getMessage()));
    timers.start();
    queueWatch.start();
    if (!dialler) {
      send(FrameType.ACCEPT, 0, new byte[0]);
      established();
    }
  }

  void send(FrameType type, int stream, byte[] body) {
    socket.send(type, stream, body);
  }

  void sendError(int stream, AgentError code, String message) {
    socket.sendError(stream, code, message);
  }

  void forget(int stream) {
    streams.remove(stream);
  }

  /** Stops reading from the socket until {@link #resumeReading()} (a slow consumer: backpressure). */
  void pauseReading() {
    socket.pauseReading();
  }

  void resumeReading() {
    socket.resumeReading();
  }

  void deliverChat(String text) {
    chatListener.accept(text);
  }

  AgentOptions options() {
    return options;
  }

  /** Closes with {@code code} and logs why. */
  void fail(AgentError code, String why) {
    socket.onContext(() -> {
      if (!ws.isClosed()) {
        LOG.log(Level.INFO, "closing {0}: {1} {2}", this, code, why);
        ws.close(code.closeCode(), FrameSocket.truncate(why));
      }
      onClosed(code, why);
    });
  }

  // ---- internals ----

  private void onMessage(byte[] sealed) {
    if (closed.isDone()) {
      // failed already (a frame that did not open, say): what the socket still delivers is not trusted (a relay
      // that altered one frame must not get the next ones through)
      return;
    }
    timers.received();
    Frame frame;
    try {
      frame = socket.open(sealed);
    } catch (AgentException e) {
      fail(e.code(), e.getMessage());
      return;
    }
    try {
      dispatch(frame);
    } catch (AgentException e) {
      fail(e.code(), e.getMessage());
    } catch (IllegalArgumentException e) {
      fail(AgentError.MALFORMED_FRAME, frame.type() + ": " + e.getMessage());
    }
  }

  private void dispatch(Frame f) {
    if (!ready.isDone() && f.type() != FrameType.ACCEPT) {
      throw new AgentException(AgentError.MALFORMED_FRAME, "expected ACCEPT, got " + f.type());
    }
    switch (f.type()) {
      case ACCEPT -> {
        if (!dialler || ready.isDone()) {
          throw new AgentException(AgentError.MALFORMED_FRAME, "unexpected ACCEPT");
        }
        established();
      }
      case OPEN -> streams.onOpen(f);
      case DATA -> streams.of(f).ifPresent(s -> s.onData(f.body()));
      case END -> streams.of(f).ifPresent(s -> s.onEnd(f.body()));
      case ERROR -> {
        if (f.stream() == 0) {
          throw new AgentException(f.errorCode(), "peer: " + f.errorMessage());
        }
        streams.remove(f.stream()).ifPresent(s -> s.onError(new AgentException(f.errorCode(), f.errorMessage())));
      }
      case GOSSIP_DIGEST -> gossip.onDigest(f.body());
      case GOSSIP_OFFER -> gossip.onOffer(f.body());
      case GOSSIP_RECORDS -> gossip.onRecords(f.body());
      default -> throw new AgentException(AgentError.MALFORMED_FRAME, "unexpected " + f.type());
    }
  }

  private void established() {
    ready.complete(this);
    gossip();
    timers.established();
  }

  private void onClosed(AgentError code, String why) {
    timers.stop();
    queueWatch.stop();
    AgentException e = new AgentException(code, why == null ? "connection closed" : why);
    ready.completeExceptionally(e);
    closed.complete(code);
    streams.failAll(e);
  }

  private void onContext(Runnable r) {
    socket.onContext(r);
  }
}
