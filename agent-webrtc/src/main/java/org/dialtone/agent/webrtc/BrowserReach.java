package org.dialtone.agent.webrtc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.dialtone.agent.reach.signal.Nonce128;
import org.dialtone.agent.reach.signal.SignalError;
import org.dialtone.agent.reach.signal.SignalException;
import org.dialtone.agent.webrtc.rtc.RtcEngine;
import org.dialtone.agent.webrtc.rtc.RtcPeer;
import org.dialtone.agent.webrtc.rtc.WebRtcUnavailableException;
import org.dialtone.agent.webrtc.signal.ConnectionQuota;
import org.dialtone.agent.webrtc.signal.InboxMessages;
import org.dialtone.agent.webrtc.signal.WebRtcSignals;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.time.Clock;

/**
 * A Java agent that browsers can chat with: it attaches its signal inbox on a node's gateway
 * ({@code WS /signals/{key}}, proving its key as the page does), answers browsers' WebRTC offers and calls browsers,
 * with the signed DTS1 envelopes of {@link WebRtcSignals} posted to {@code POST /signals}, ICE through the node's
 * own STUN server (from {@code /status}), and the page's chat on the data channel ({@link BrowserChat}).
 *
 * <pre>{@code
 * BrowserReach reach = BrowserReach.open(vertx, identity, URI.create("http://10.0.0.1:8440"),
 *     chat -> chat.onMessage(text -> System.out.println(text))).join();
 * BrowserChat chat = reach.call(browserKey).join();
 * chat.send("hello");
 * }</pre>
 *
 * <p>Browsers on other nodes reach this agent through theirs once its directory record names this node
 * ({@link #nodeEndpoint()}, which the node says when the inbox attaches; the CLI publishes it). Bounds:
 * {@value #MAX_ANSWERING} offers answered at once, and connections being set up or open held to
 * {@link ConnectionQuota}'s 64 in all and 8 per browser key (more offers are dropped, counted as {@code BUSY}); a
 * connection not open within {@value #OPEN_MILLIS} ms is closed.
 *
 * <p>When the node closes the inbox (it restarts, or drops the session), the reach attaches it again on its own:
 * after about {@value #REATTACH_FIRST_MILLIS} ms, then at doubling intervals up to {@value #REATTACH_MAX_MILLIS} ms,
 * until it is attached or closed ({@link #onInboxChange} tells of both). Chats already open are direct and go on.
 */
public final class BrowserReach implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BrowserReach.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Offers being answered at once. */
  public static final int MAX_ANSWERING = 8;
  /** From offer to open data channel, at most. */
  public static final long OPEN_MILLIS = 30_000;
  /** The first wait before attaching a closed inbox again. */
  public static final long REATTACH_FIRST_MILLIS = 1_000;
  /** The longest wait between attempts to attach a closed inbox again. */
  public static final long REATTACH_MAX_MILLIS = 30_000;

  private final Vertx vertx;
  private final Identity self;
  private final URI gateway;
  private final RtcEngine engine;
  private final WebRtcSignals signals;
  private final HttpClient http;
  private final WebSocketClient wsClient;
  private final Consumer<BrowserChat> onChat;
  private final Map<Nonce128, CompletableFuture<String>> answers = new ConcurrentHashMap<>();
  private final Set<RtcPeer> peers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger answering = new AtomicInteger();
  private final ConnectionQuota quota = new ConnectionQuota(ConnectionQuota.DEFAULT_TOTAL,
      ConnectionQuota.DEFAULT_PER_PEER);
  private final AtomicLong busy = new AtomicLong();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile List<String> stun = List.of();
  private volatile ClientWebSocket inbox;
  private volatile Optional<String> nodeEndpoint = Optional.empty();
  private volatile java.util.function.BiConsumer<SignalError, String> onRefused = (e, why) -> {};
  private volatile java.util.function.BiConsumer<Boolean, String> onInboxChange = (up, why) -> {};
  private volatile boolean attachedNow;
  private volatile boolean closing;

  private BrowserReach(Vertx vertx, Identity self, URI gateway, RtcEngine engine, Consumer<BrowserChat> onChat) {
    this.vertx = vertx;
    this.self = self;
    this.gateway = gateway;
    this.engine = engine;
    this.onChat = onChat;
    this.signals = new WebRtcSignals(self, Clock.system(), new SecureRandom());
    this.http = vertx.createHttpClient();
    this.wsClient = vertx.createWebSocketClient();
  }

  /**
   * Loads libwebrtc, reads the node's STUN address and attaches this agent's inbox at {@code gateway}
   * ({@code http://host:port}); every chat a browser opens to this agent goes to {@code onChat}. Fails with a
   * {@link WebRtcUnavailableException} when libwebrtc cannot load here, or an {@link IllegalStateException}
   * {@code CODE: message} when the node refuses the inbox.
   */
  public static CompletableFuture<BrowserReach> open(Vertx vertx, Identity self, URI gateway,
      Consumer<BrowserChat> onChat) {
    Objects.requireNonNull(vertx, "vertx must not be null");
    Objects.requireNonNull(self, "self must not be null");
    Objects.requireNonNull(onChat, "onChat must not be null");
    if (!"http".equals(gateway.getScheme()) || gateway.getHost() == null || gateway.getPort() <= 0) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("a gateway is http://HOST:PORT, not "
          + gateway));
    }
    RtcEngine engine;
    try {
      engine = RtcEngine.start();
    } catch (WebRtcUnavailableException e) {
      return CompletableFuture.failedFuture(e);
    }
    BrowserReach reach = new BrowserReach(vertx, self, gateway, engine, onChat);
    return reach.readStun().thenCompose(v -> reach.attach()).thenApply(v -> reach).whenComplete((r, e) -> {
      if (e != null) {
        reach.close();
      }
    });
  }

  /** This agent's key: the one browsers call. */
  public PublicKey key() {
    return self.publicKey();
  }

  /** Signals refused so far by reason (forged, replayed, for someone else, unexpected answers; BUSY when full). */
  public Map<SignalError, Long> refusedSignals() {
    Map<SignalError, Long> m = new java.util.EnumMap<>(SignalError.class);
    m.putAll(signals.refused());
    if (busy.get() > 0) {
      m.merge(SignalError.BUSY, busy.get(), Long::sum);
    }
    return Map.copyOf(m);
  }

  /** Tells {@code handler} of each signal refused (its reason and a message), from now on. */
  public void onRefused(java.util.function.BiConsumer<SignalError, String> handler) {
    this.onRefused = Objects.requireNonNull(handler, "handler must not be null");
  }

  /**
   * The node holding this agent's inbox as it names itself ({@code dialtone-node://IP:PORT/NODEKEY}), once attached:
   * named in the agent's directory record ({@code NumberResolver.reachAlsoAt}), it lets a browser on another node
   * signal this agent through its own node. Empty when the node named none.
   */
  public Optional<String> nodeEndpoint() {
    return nodeEndpoint;
  }

  /** Completes when this reach is closed. */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  /** Whether the inbox is attached now: browsers can call this agent. */
  public boolean attached() {
    return attachedNow;
  }

  /**
   * Tells {@code handler} when the node closes the inbox ({@code false} and the reason: browsers cannot call until it
   * is back) and when it is attached again ({@code true}), from now on.
   */
  public void onInboxChange(java.util.function.BiConsumer<Boolean, String> handler) {
    this.onInboxChange = Objects.requireNonNull(handler, "handler must not be null");
  }

  /**
   * Calls a browser agent listening on the same node: the offer goes as a signed REQUEST, its ANSWER comes back to
   * this agent's inbox, then ICE and DTLS run directly. Fails with {@code NO_ANSWER}, {@code ICE_FAILED},
   * {@code NOT_ATTACHED} (the browser has no inbox on this node) and the like.
   */
  public CompletableFuture<BrowserChat> call(PublicKey browser) {
    long started = System.nanoTime();
    Nonce128 session;
    try {
      session = signals.beginCall(browser);
    } catch (SignalException e) {
      return CompletableFuture.failedFuture(new IllegalStateException(e.error() + ": " + e.getMessage()));
    }
    if (!quota.take(browser)) {
      signals.endCall(session);
      return CompletableFuture.failedFuture(new IllegalStateException("BUSY: " + quota.held()
          + " connections with browsers already"));
    }
    RtcPeer peer = engine.peer(stun);
    peers.add(peer);
    CompletableFuture<String> answered = new CompletableFuture<>();
    answers.put(session, answered);
    CompletableFuture<BrowserChat> chat = peer.offer()
        .thenCompose(sdp -> post(sign(() -> signals.request(browser, session, sdp))))
        .thenCompose(v -> answered.orTimeout(OPEN_MILLIS, TimeUnit.MILLISECONDS))
        .thenCompose(peer::accept)
        .thenCompose(v -> peer.channel())
        .thenApply(c -> new BrowserChat(browser, c, (System.nanoTime() - started) / 1_000_000, true))
        .orTimeout(OPEN_MILLIS, TimeUnit.MILLISECONDS);
    return chat.whenComplete((c, e) -> {
      answers.remove(session);
      signals.endCall(session);
      if (e != null) {
        peer.close();
        peers.remove(peer);
        quota.give(browser);
      } else {
        c.closed().thenRun(() -> {
          peers.remove(peer);
          quota.give(browser);
        });
      }
    });
  }

  private void received(byte[] bytes) {
    WebRtcSignals.Inbound in;
    try {
      in = signals.receive(bytes);
    } catch (SignalException e) {
      LOG.log(System.Logger.Level.INFO, "signal refused: " + e.error() + ": " + e.getMessage());
      onRefused.accept(e.error(), e.getMessage());
      return;
    }
    if (in instanceof WebRtcSignals.Answer a) {
      CompletableFuture<String> waiting = answers.get(a.session());
      if (waiting != null) {
        waiting.complete(a.sdp());
      }
    } else if (in instanceof WebRtcSignals.Offer o) {
      answer(o);
    }
  }

  private void answer(WebRtcSignals.Offer offer) {
    if (answering.incrementAndGet() > MAX_ANSWERING) {
      answering.decrementAndGet();
      busy.incrementAndGet();
      LOG.log(System.Logger.Level.INFO, "offer dropped: " + MAX_ANSWERING + " being answered already");
      onRefused.accept(SignalError.BUSY, MAX_ANSWERING + " offers being answered already");
      return;
    }
    if (!quota.take(offer.peer())) {
      answering.decrementAndGet();
      busy.incrementAndGet();
      onRefused.accept(SignalError.BUSY, "connections with browsers at their bound (" + ConnectionQuota.DEFAULT_TOTAL
          + " in all, " + ConnectionQuota.DEFAULT_PER_PEER + " per key)");
      return;
    }
    long started = System.nanoTime();
    RtcPeer peer = engine.peer(stun);
    peers.add(peer);
    peer.answer(offer.sdp())
        .thenCompose(sdp -> post(sign(() -> signals.answer(offer, sdp))))
        .thenCompose(v -> peer.channel())
        .orTimeout(OPEN_MILLIS, TimeUnit.MILLISECONDS)
        .whenComplete((c, e) -> {
          answering.decrementAndGet();
          if (e != null) {
            LOG.log(System.Logger.Level.INFO, "no chat with " + offer.peer().toHex().substring(0, 16) + ": "
                + rootMessage(e));
            peer.close();
            peers.remove(peer);
            quota.give(offer.peer());
            return;
          }
          c.closed().thenRun(() -> {
            peers.remove(peer);
            quota.give(offer.peer());
          });
          onChat.accept(new BrowserChat(offer.peer(), c, (System.nanoTime() - started) / 1_000_000, false));
        });
  }

  private interface Signer {
    byte[] sign() throws SignalException;
  }

  private static CompletableFuture<byte[]> sign(Signer s) {
    try {
      return CompletableFuture.completedFuture(s.sign());
    } catch (SignalException e) {
      return CompletableFuture.failedFuture(new IllegalStateException(e.error() + ": " + e.getMessage()));
    }
  }

  private CompletableFuture<Void> post(CompletableFuture<byte[]> signal) {
    return signal.thenCompose(bytes -> stage(http.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setHost(gateway.getHost()).setPort(gateway.getPort()).setURI("/signals")
            .putHeader("content-type", "application/octet-stream"))
        .compose(req -> req.send(Buffer.buffer(bytes)))
        .compose(resp -> resp.body().map(body -> {
          if (resp.statusCode() != 202) {
            throw new IllegalStateException(errorLine(resp.statusCode(), body.toString()));
          }
          return (Void) null;
        }))));
  }

  private CompletableFuture<Void> readStun() {
    return stage(http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(gateway.getHost())
            .setPort(gateway.getPort()).setURI("/status").putHeader("accept", "application/json"))
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> {
          if (resp.statusCode() != 200) {
            throw new IllegalStateException(errorLine(resp.statusCode(), body.toString()));
          }
          try {
            String s = JSON.readTree(body.toString()).path("stun").asText("");
            stun = s.startsWith("stun:") ? List.of(s) : List.of();
          } catch (java.io.IOException e) {
            throw new IllegalStateException("BAD_GATEWAY: /status is not JSON");
          }
          return (Void) null;
        })));
  }

  private CompletableFuture<Void> attach() {
    CompletableFuture<Void> attached = new CompletableFuture<>();
    ClientWebSocket ws = wsClient.webSocket();
    ws.binaryMessageHandler(b -> received(b.getBytes()));
    ws.textMessageHandler(text -> {
      InboxMessages.Message m = InboxMessages.parse(text);
      if (m instanceof InboxMessages.Challenge c) {
        ws.writeTextMessage(InboxMessages.proof(c, self));
      } else if (m instanceof InboxMessages.Attached a) {
        nodeEndpoint = a.node();
        attachedNow = true;
        attached.complete(null);
      } else if (m instanceof InboxMessages.Refused r) {
        attached.completeExceptionally(new IllegalStateException(r.code() + ": " + r.message()));
      }
    });
    ws.closeHandler(v -> {
      String why = "the node closed the signal inbox (" + ws.closeStatusCode() + " " + ws.closeReason() + ")";
      // a session that never attached fails its attempt (which retries or fails open); one that did starts again
      boolean wasAttached = attached.isDone() && !attached.isCompletedExceptionally();
      attached.completeExceptionally(new IllegalStateException("CLOSED: " + why));
      if (wasAttached && inbox == ws && !closing) {
        attachedNow = false;
        onInboxChange.accept(false, why);
        reattachAfter(REATTACH_FIRST_MILLIS);
      }
    });
    ws.connect(new WebSocketConnectOptions().setHost(gateway.getHost()).setPort(gateway.getPort())
        .setURI("/signals/" + self.publicKey().toHex()).setTimeout(10_000)).onFailure(e -> attached
            .completeExceptionally(new IllegalStateException("UNREACHABLE: no signal inbox at " + gateway + ": "
                + e.getMessage())));
    inbox = ws;
    return attached.orTimeout(15, TimeUnit.SECONDS).whenComplete((v, e) -> {
      if (e != null && !ws.isClosed()) {
        ws.close(); // an attempt that timed out leaves no session behind
      }
    });
  }

  // Attaches the inbox again after about delayMillis (+-20 %, so that the agents of a restarted node do not come back
  // in one burst), and keeps trying at doubling intervals up to REATTACH_MAX_MILLIS until attached or closed.
  private void reattachAfter(long delayMillis) {
    long jittered = Math.max(1, (long) (delayMillis * (0.8 + 0.4 * java.util.concurrent.ThreadLocalRandom.current()
        .nextDouble())));
    vertx.setTimer(jittered, id -> {
      if (closing) {
        return;
      }
      readStun().thenCompose(v -> attach()).whenComplete((v, e) -> {
        if (closing) {
          return;
        }
        if (e == null) {
          onInboxChange.accept(true, "attached at " + gateway);
        } else {
          LOG.log(System.Logger.Level.INFO, "signal inbox not attached again yet: " + rootMessage(e));
          reattachAfter(Math.min(2 * delayMillis, REATTACH_MAX_MILLIS));
        }
      });
    });
  }

  private static String errorLine(int status, String body) {
    try {
      var node = JSON.readTree(body);
      if (node.hasNonNull("error")) {
        return node.path("error").asText() + ": " + node.path("message").asText();
      }
    } catch (java.io.IOException | RuntimeException e) {
      // below
    }
    return "HTTP_" + status + ": the node answered " + status;
  }

  private static <T> CompletableFuture<T> stage(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture();
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof java.util.concurrent.TimeoutException ? "TIMEOUT: not open within " + OPEN_MILLIS + " ms"
        : String.valueOf(t.getMessage());
  }

  /** Detaches the inbox and closes every connection. */
  @Override
  public void close() {
    closing = true;
    attachedNow = false;
    ClientWebSocket ws = inbox;
    if (ws != null && !ws.isClosed()) {
      ws.close((short) 1000, "done");
    }
    peers.forEach(RtcPeer::close);
    peers.clear();
    answers.values().forEach(f -> f.completeExceptionally(new IllegalStateException("CLOSED")));
    http.close();
    wsClient.close();
    engine.close();
    closed.complete(null);
  }
}
