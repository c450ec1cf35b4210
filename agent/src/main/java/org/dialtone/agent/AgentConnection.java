package org.dialtone.agent;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.agent.gossip.KnownNumbers;
import org.dialtone.agent.secure.FrameCipher;
import org.dialtone.agent.secure.SessionKeys;
import org.dialtone.agent.wire.Frame;
import org.dialtone.agent.wire.FrameType;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.time.Cancellable;
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
 * answered per {@link #MIN_DIGEST_SPACING_MILLIS}; others get an empty offer); no gossip is queued while the send queue is full; and a peer that
 * leaves the send queue full for a quarter of the idle timeout (it does not read) is closed with TIMEOUT, so it cannot
 * grow our memory without limit.
 */
public final class AgentConnection {
  private static final System.Logger LOG = System.getLogger(AgentConnection.class.getName());
  /** Streams open at once per connection, each way. */
  public static final int MAX_STREAMS = 64;
  /** The least time between two digests this side answers on one connection. */
  static final long MIN_DIGEST_SPACING_MILLIS = 1_000;
  // No records, no ids wanted.
  private static final byte[] EMPTY_OFFER = new byte[4];

  private final Vertx vertx;
  private final Context context;
  private final WebSocketBase ws;
  private final PublicKey peer;
  private final boolean dialler;
  private final ConnectionPath path;
  private final FrameCipher sealer;
  private final FrameCipher opener;
  private final boolean plaintext;
  private final Map<String, Service> services;
  private final KnownNumbers known;
  private final AgentOptions options;
  private final Map<Integer, ServiceStream> streams = new HashMap<>();
  private final List<Runnable> drainWaiters = new ArrayList<>();
  private final CompletableFuture<AgentConnection> ready = new CompletableFuture<>();
  private final CompletableFuture<AgentError> closed = new CompletableFuture<>();
  private final AtomicLong bytesSent = new AtomicLong();
  private volatile Consumer<String> chatListener = s -> {};
  private ServiceStream chatStream;
  private int nextStream;
  private int paused;
  private final Clock clock;
  private final Scheduler scheduler;
  private final ConnectionTimers timers;
  private volatile Cancellable queueWatch = () -> { };
  // Gossip bounds, on the connection's context: our digest awaiting its offer; their digest answered, awaiting records.
  private long digestSentAtNanos = -1;
  private long answeredAtNanos;
  private boolean answering;
  private long queueFullSinceNanos = -1;
  private long digestsIgnored;

  AgentConnection(Vertx vertx, Context context, Scheduler scheduler, Clock clock, WebSocketBase ws,
      SessionKeys keys, boolean dialler, ConnectionPath path, Map<String, Service> services, KnownNumbers known,
      AgentOptions options) {
    this.path = path;
    this.vertx = vertx;
    this.clock = clock;
    this.scheduler = scheduler;
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
    this.context = context;
    this.ws = ws;
    this.peer = keys.peer();
    this.dialler = dialler;
    this.sealer = keys.sealer();
    this.opener = keys.opener();
    this.plaintext = keys.plaintext();
    this.services = services;
    this.known = known;
    this.options = options;
    this.nextStream = dialler ? 1 : 2;
  }

  /** The peer's key, proven in the handshake. */
  public PublicKey peer() {
    return peer;
  }

  /** Whether this agent dialled (rather than answered) this connection. */
  boolean dialler() {
    return dialler;
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
        chatStream = openNow(Services.CHAT);
      }
      chatStream.write(b);
    });
  }

  /** Streams {@code file} to the peer's {@code files} service; completes when the peer confirms its SHA-256. */
  public CompletableFuture<FileReceipt> sendFile(Path file) {
    CompletableFuture<FileReceipt> f = new CompletableFuture<>();
    onContext(() -> FileSender.send(vertx, this, openNow(Services.FILES), file, f));
    return f;
  }

  /** Opens a stream to the peer's service {@code name}. */
  public CompletableFuture<ServiceStream> open(String name) {
    CompletableFuture<ServiceStream> f = new CompletableFuture<>();
    onContext(() -> {
      try {
        f.complete(openNow(name));
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  /** Starts a gossip exchange now (it also runs on connect and every gossip interval). */
  public void gossip() {
    onContext(() -> {
      long now = clock.nanoTime();
      boolean inFlight = digestSentAtNanos >= 0
          && now - digestSentAtNanos < 2 * options.gossipInterval().toNanos(); // a peer that never answers: retry
      if (inFlight || ws.writeQueueFull()) {
        return; // one exchange in flight; nothing queued behind a full send queue
      }
      digestSentAtNanos = now;
      byte[] digest;
      synchronized (known) {
        digest = known.digest();
      }
      send(FrameType.GOSSIP_DIGEST, 0, digest);
    });
  }

  /** Closes the connection normally. */
  public CompletableFuture<Void> close() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    onContext(() -> ws.close(AgentError.CLOSED.closeCode(), "bye").onComplete(ar -> f.complete(null)));
    return f;
  }

  /** True while the send queue is full. */
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  /** Runs {@code r} once the send queue drains (on the connection's thread). */
  public void whenDrained(Runnable r) {
    onContext(() -> { // on the context, after every write handed over before this call
      if (!ws.writeQueueFull()) {
        r.run();
      } else {
        drainWaiters.add(r);
      }
    });
  }

  @Override
  public String toString() {
    return "AgentConnection[" + peer.toHex().substring(0, 8) + (dialler ? ", dialled" : ", accepted") + "]";
  }

  /** Peer digests left unanswered: one exchange was in flight, or one came too soon after the last. */
  public long digestsIgnored() {
    return digestsIgnored;
  }

  /** Bytes of sealed frames handed to the socket so far (queued or sent). */
  public long bytesSent() {
    return bytesSent.get();
  }

  // ---- package: lifecycle and I/O ----

  /** Writers parked until the send queue drains (a paused file sender is one). */
  int drainWaiters() {
    return drainWaiters.size();
  }

  CompletableFuture<AgentConnection> ready() {
    return ready;
  }

  /** Wires the socket; the listener (server side) sends ACCEPT, the dialler waits for it. */
  void start() {
    ws.binaryMessageHandler(buf -> onMessage(buf.getBytes()));
    ws.textMessageHandler(t -> fail(AgentError.MALFORMED_FRAME, "text message"));
    ws.drainHandler(v -> {
      List<Runnable> waiting = List.copyOf(drainWaiters);
      drainWaiters.clear();
      waiting.forEach(Runnable::run);
    });
    ws.closeHandler(v -> onClosed(AgentError.ofCloseCode(ws.closeStatusCode()), ws.closeReason()));
    ws.exceptionHandler(e -> LOG.log(Level.DEBUG, "socket error on {0}: {1}", this, e.getMessage()));
    timers.start();
    watchSendQueue();
    if (!dialler) {
      send(FrameType.ACCEPT, 0, new byte[0]);
      established();
    }
  }

  void send(FrameType type, int stream, byte[] body) {
    onContext(() -> {
      if (!ws.isClosed()) {
        byte[] sealed = sealer.seal(new Frame(type, stream, body).encode());
        bytesSent.addAndGet(sealed.length);
        ws.writeBinaryMessage(Buffer.buffer(sealed));
      }
    });
  }

  void sendError(int stream, AgentError code, String message) {
    send(FrameType.ERROR, stream, Frame.error(stream, code, message).body());
  }

  void forget(int stream) {
    streams.remove(stream);
  }

  /** Stops reading from the socket until {@link #resumeReading()} (a slow consumer: backpressure). */
  void pauseReading() {
    onContext(() -> {
      if (paused++ == 0) {
        ws.pause();
      }
    });
  }

  void resumeReading() {
    onContext(() -> {
      if (paused > 0 && --paused == 0) {
        ws.resume();
      }
    });
  }

  void deliverChat(String text) {
    chatListener.accept(text);
  }

  AgentOptions options() {
    return options;
  }

  /** Closes with {@code code} and logs why. */
  void fail(AgentError code, String why) {
    onContext(() -> {
      if (!ws.isClosed()) {
        LOG.log(Level.INFO, "closing {0}: {1} {2}", this, code, why);
        ws.close(code.closeCode(), truncate(why));
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
      if (sealed.length > Frame.MAX_ENCODED + FrameCipher.TAG_BYTES) {
        throw new AgentException(AgentError.FRAME_TOO_LARGE, "message of " + sealed.length + " bytes");
      }
      frame = Frame.decode(opener.open(sealed));
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
      case OPEN -> onOpen(f);
      case DATA -> stream(f).ifPresent(s -> s.onData(f.body()));
      case END -> stream(f).ifPresent(s -> {
        s.onEnd(f.body());
      });
      case ERROR -> {
        if (f.stream() == 0) {
          throw new AgentException(f.errorCode(), "peer: " + f.errorMessage());
        }
        ServiceStream s = streams.remove(f.stream());
        if (s != null) {
          s.onError(new AgentException(f.errorCode(), f.errorMessage()));
        }
      }
      case GOSSIP_DIGEST -> {
        long now = clock.nanoTime();
        if (answering || ws.writeQueueFull() || answeredAtNanos != 0
            && now - answeredAtNanos < MIN_DIGEST_SPACING_MILLIS * 1_000_000L) {
          // The peer asks again before the last exchange ended, or too soon: an empty offer (4 bytes, no larger than
          // any digest) ends its exchange without answering it.
          digestsIgnored++;
          if (!ws.writeQueueFull()) {
            send(FrameType.GOSSIP_OFFER, 0, EMPTY_OFFER);
          }
          return;
        }
        byte[] answer;
        synchronized (known) {
          answer = known.answer(f.body());
        }
        answering = true;
        answeredAtNanos = now;
        send(FrameType.GOSSIP_OFFER, 0, answer);
      }
      case GOSSIP_OFFER -> {
        if (digestSentAtNanos < 0) {
          return; // an offer we did not ask for
        }
        digestSentAtNanos = -1;
        byte[] wanted;
        synchronized (known) {
          wanted = known.acceptOffer(f.body(), peer, clock.epochMillis());
        }
        send(FrameType.GOSSIP_RECORDS, 0, wanted);
      }
      case GOSSIP_RECORDS -> {
        if (!answering) {
          return; // records we did not offer an exchange for
        }
        answering = false;
        synchronized (known) {
          known.acceptRecords(f.body(), peer, clock.epochMillis());
        }
      }
      default -> throw new AgentException(AgentError.MALFORMED_FRAME, "unexpected " + f.type());
    }
  }

  private java.util.Optional<ServiceStream> stream(Frame f) {
    ServiceStream s = streams.get(f.stream());
    // A frame for a stream already failed or finished is dropped: the peer may not have heard yet.
    return java.util.Optional.ofNullable(s);
  }

  private void onOpen(Frame f) {
    boolean theirs = (f.stream() % 2 == 1) == !dialler;
    if (!theirs || f.stream() == 0 || streams.containsKey(f.stream())) {
      throw new AgentException(AgentError.MALFORMED_FRAME, "bad stream id " + f.stream());
    }
    String name = f.text();
    Service service = services.get(name);
    if (service == null) {
      LOG.log(Level.INFO, "{0}: peer asked for unknown service {1}", this, name);
      sendError(f.stream(), AgentError.UNKNOWN_SERVICE, "no service '" + truncate(name) + "' here");
      return;
    }
    if (streams.size() >= MAX_STREAMS) {
      sendError(f.stream(), AgentError.TOO_MANY_CONNECTIONS, "too many streams");
      return;
    }
    ServiceStream s = new ServiceStream(this, f.stream(), name);
    streams.put(f.stream(), s);
    service.open(s);
  }

  private ServiceStream openNow(String name) {
    if (ws.isClosed()) {
      throw new AgentException(AgentError.CLOSED, "connection closed");
    }
    int id = nextStream;
    nextStream += 2;
    ServiceStream s = new ServiceStream(this, id, name);
    streams.put(id, s);
    send(FrameType.OPEN, id, name.getBytes(StandardCharsets.UTF_8));
    return s;
  }

  private void established() {
    ready.complete(this);
    gossip();
    timers.established();
  }

  // A peer that does not read keeps our send queue full: close it rather than queue for it without end.
  private void watchSendQueue() {
    long check = Math.max(50, options.idleTimeout().toMillis() / 4);
    queueWatch = scheduler.schedule(check, () -> {
      long now = clock.nanoTime();
      if (!ws.writeQueueFull()) {
        queueFullSinceNanos = -1;
      } else if (queueFullSinceNanos < 0) {
        queueFullSinceNanos = now;
      } else if (now - queueFullSinceNanos > options.idleTimeout().toNanos() / 4) {
        fail(AgentError.TIMEOUT, "the peer read nothing for " + options.idleTimeout().toMillis() / 4
            + " ms: send queue full");
        return;
      }
      if (!closed.isDone()) {
        watchSendQueue();
      }
    });
  }

  private void onClosed(AgentError code, String why) {
    timers.stop();
    queueWatch.cancel();
    AgentException e = new AgentException(code, why == null ? "connection closed" : why);
    ready.completeExceptionally(e);
    closed.complete(code);
    for (ServiceStream s : List.copyOf(streams.values())) {
      s.onError(e);
    }
    streams.clear();
  }

  private void onContext(Runnable r) {
    if (Vertx.currentContext() == context) {
      r.run();
    } else {
      context.runOnContext(v -> r.run());
    }
  }

  private static String truncate(String s) {
    return s.length() > 100 ? s.substring(0, 100) : s;
  }
}
