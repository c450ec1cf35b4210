package org.dialtone.node.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.SignalRefusal;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.resolver.ResolverKeys;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.node.limit.PrefixRateLimiter;
import org.dialtone.node.log.StructuredLog;
import org.dialtone.node.metrics.NodeMeters;

/**
 * Signaling through the node for browser agents, over HTTP (see {@link SignalRelay} for the rules).
 *
 * <pre>
 * POST /signals         a DTS1 envelope (application/octet-stream, at most 1,100 bytes) for an agent attached
 *                       here or to the node its directory record names: 202 {"delivered": true} (and
 *                       "via": that node's endpoint when forwarded); 404 NOT_ATTACHED; 403 BAD_SIGNATURE; 413;
 *                       429; 400; 502/504 when the other node refuses or does not answer
 * WS   /signals/{key}   the agent's inbox: the node sends {"type":"CHALLENGE","challenge":HEX32}, the page answers
 *                       {"type":"PROOF","signature":HEX64} (Ed25519 by {key} over "dialtone-signal-session-v1",
 *                       the 32 challenge bytes and the key), the node says {"type":"ATTACHED","node":ENDPOINT}
 *                       (this node as dialtone-node://IP:PORT/NODEKEY, for the agent's directory record); then
 *                       each signal for {key} arrives as one binary frame, the envelope as its sender signed it
 * </pre>
 *
 * <p>A session needs a proof of the key, so nobody else can read an agent's signals; a proof not given within
 * {@value #PROOF_MILLIS} ms, or not valid, closes the socket with a JSON error frame and reason. Sockets waiting for
 * their proof are bounded in all and per client network (a 503 {@code TOO_MANY_SESSIONS} at the upgrade).
 *
 * <p>Between nodes: a posted signal whose recipient is not attached here goes to the node the recipient's signed
 * directory record names ({@link SignalForwarder}), as a DHT SIGNAL; a SIGNAL another node sends here is checked as
 * a POST ({@link SignalRelay#receive}) and delivered to the attached inbox, or refused with a typed code.
 */
final class SignalEndpoint {
  private static final StructuredLog LOG = StructuredLog.of("gateway");
  static final String INBOX_PREFIX = "/signals/";
  /** What an agent signs to prove its key: this label, the challenge and its key. */
  static final byte[] PROOF_LABEL = "dialtone-signal-session-v1".getBytes(StandardCharsets.US_ASCII);
  static final long PROOF_MILLIS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final DhtNode node;
  private final NodeMeters meters;
  private final SignalRelay relay = new SignalRelay();
  private final SignalForwarder forwarder;

  SignalEndpoint(Vertx vertx, DhtNode node, NodeMeters meters) {
    this.vertx = vertx;
    this.node = node;
    this.meters = meters;
    this.forwarder = new SignalForwarder(node.publicKey(), SignalEndpoint.directory(node), node::signal);
    node.onSignals(this::fromNode);
  }

  /** The endpoints in an agent's own directory record ({@code agent:<key>}), verified by the DHT. */
  static SignalForwarder.Directory directory(DhtNode node) {
    return agent -> node.get(ResolverKeys.agent(agent)).thenApply(found -> found.records().stream()
        .filter(r -> r.publisher().equals(agent) && r.kind() == RecordKind.AGENT.code())
        .map(RecordCodec::decodeAgent).flatMap(Optional::stream)
        .flatMap(a -> a.endpoints().stream()).toList());
  }

  /** A SIGNAL from another node (node thread): checked as a POST, delivered to the attached inbox or refused. */
  private Optional<SignalRefusal> fromNode(PeerAddress from, byte[] envelope) {
    SignalRelay.Result r = relay.receive(envelope, from.inetAddress(), System.currentTimeMillis(), System.nanoTime());
    if (r.refusal().isEmpty()) {
      meters.nodeSignal("delivered");
      return Optional.empty();
    }
    ApiError e = r.refusal().get();
    meters.nodeSignal(e.code().toLowerCase(Locale.ROOT));
    LOG.debug("node.signal_refused", "from", from, "code", e.code()); // counted; a flood must not flood the log
    ErrorCode code = switch (e.code()) {
      case "NOT_ATTACHED" -> ErrorCode.NOT_ATTACHED;
      case "RATE_LIMITED", "RECIPIENT_RATE_LIMITED" -> ErrorCode.RATE_LIMITED;
      case "BAD_SIGNATURE" -> ErrorCode.BAD_SIGNATURE;
      case "TOO_LARGE" -> ErrorCode.PAYLOAD_TOO_LARGE;
      case "EXPIRED", "NOT_YET_VALID", "BAD_LIFETIME" -> ErrorCode.EXPIRED;
      default -> ErrorCode.MALFORMED;
    };
    return Optional.of(new SignalRefusal(code, e.code() + ": " + LogSafe.clip(e.message())));
  }

  /** True for a request this endpoint answers. */
  static boolean wants(HttpServerRequest req) {
    return req.path().equals("/signals") || req.path().startsWith(INBOX_PREFIX);
  }

  /** Signal sessions open now. */
  int sessions() {
    return relay.sessions();
  }

  void handle(HttpServerRequest req) {
    if (req.path().equals("/signals")) {
      post(req);
    } else {
      inbox(req);
    }
  }

  private void post(HttpServerRequest req) {
    if (req.method() != HttpMethod.POST) {
      refused(req, new ApiError(405, "METHOD_NOT_ALLOWED", "POST a signed signal to /signals", null));
      return;
    }
    long declared = parseLength(req.getHeader("content-length"));
    if (declared > SignalRelay.MAX_BODY_BYTES) {
      refused(req, tooLarge());
      return;
    }
    Buffer body = Buffer.buffer();
    req.handler(chunk -> {
      if (req.response().ended()) {
        return;
      }
      if (body.length() + chunk.length() > SignalRelay.MAX_BODY_BYTES) {
        req.pause();
        req.response().putHeader("connection", "close");
        refused(req, tooLarge());
        return;
      }
      body.appendBuffer(chunk);
    });
    req.endHandler(v -> {
      if (req.response().ended()) {
        return;
      }
      Optional<InetAddress> from = address(req.remoteAddress().hostAddress());
      if (from.isEmpty()) {
        refused(req, ApiError.badRequest("BAD_REQUEST", "no source address"));
        return;
      }
      byte[] bytes = body.getBytes();
      SignalRelay.Result r = relay.post(bytes, from.get(), System.currentTimeMillis(), System.nanoTime());
      if (r.notAttached().isPresent()) {
        forward(req, r.notAttached().get(), bytes, PrefixRateLimiter.prefixOf(from.get()));
        return;
      }
      if (r.refusal().isPresent()) {
        refused(req, r.refusal().get());
        return;
      }
      meters.gatewaySignal("delivered");
      var s = r.delivered().orElseThrow().body();
      LOG.debug("gateway.signal_delivered", "kind", s.kind(), "from", s.sender().toHex().substring(0, 16), "to",
          s.recipient().toHex().substring(0, 16));
      JsonReplies.json(req, 202, JsonViews.JSON.createObjectNode().put("delivered", true));
    });
  }

  /** The recipient is not attached here: to the node its directory record names, as a DHT SIGNAL. */
  private void forward(HttpServerRequest req, org.dialtone.agent.reach.signal.SignedSignal signal, byte[] bytes,
      long prefix) {
    forwarder.forward(signal, bytes, prefix).whenComplete((outcome, error) -> {
      if (error != null) {
        refused(req, new ApiError(502, "FORWARD_FAILED", LogSafe.clip(String.valueOf(error)), null));
        return;
      }
      if (outcome.refusal().isPresent()) {
        meters.gatewaySignal(outcome.result());
        LOG.info("gateway.signal_refused", "remote", req.remoteAddress(), "code", outcome.refusal().get().code());
        JsonReplies.reply(req, outcome.refusal().get());
        return;
      }
      meters.gatewaySignal("forwarded");
      var s = signal.body();
      LOG.debug("gateway.signal_forwarded", "kind", s.kind(), "from", s.sender().toHex().substring(0, 16), "to",
          s.recipient().toHex().substring(0, 16), "via", outcome.via().map(NodeEndpoint::toUri).orElse(""));
      JsonReplies.json(req, 202, JsonViews.JSON.createObjectNode().put("delivered", true)
          .put("via", outcome.via().map(NodeEndpoint::toUri).orElse("")));
    });
  }

  /** This node as the endpoint an attached agent names: its DHT address, or the address the page reached. */
  private String nodeEndpoint(ServerWebSocket ws) {
    PeerAddress dht = node.address();
    if (dht.inetAddress().isAnyLocalAddress()) {
      dht = PeerAddress.of(address(ws.localAddress().hostAddress()).orElse(dht.inetAddress()), dht.port());
    }
    return new NodeEndpoint(node.publicKey(), dht).toUri();
  }

  private void inbox(HttpServerRequest req) {
    PublicKey key;
    try {
      key = PublicKey.ofHex(RequestParams.segment(req.path(), INBOX_PREFIX));
    } catch (RuntimeException e) {
      sessionRefused(req, ApiError.badRequest("BAD_KEY", "/signals/{key} takes an agent's Ed25519 key, 64 hex "
          + "digits"));
      return;
    }
    if (!req.canUpgradeToWebSocket()) {
      sessionRefused(req, new ApiError(426, "UPGRADE_REQUIRED", "/signals/{key} is a WebSocket: connect with ws://",
          null));
      return;
    }
    Optional<InetAddress> from = address(req.remoteAddress().hostAddress());
    if (from.isEmpty()) {
      sessionRefused(req, ApiError.badRequest("BAD_REQUEST", "no source address"));
      return;
    }
    long prefix = PrefixRateLimiter.prefixOf(from.get());
    Optional<ApiError> busy = relay.beginProof(prefix);
    if (busy.isPresent()) {
      sessionRefused(req, busy.get());
      return;
    }
    req.toWebSocket().onSuccess(ws -> prove(ws, key, prefix)).onFailure(e -> {
      relay.endProof(prefix);
      LOG.debug("gateway.upgrade_failed", "error", StructuredLog.causeChain(e));
    });
  }

  /** Sends a challenge; attaches the session once the page signs it with {@code key}. */
  private void prove(ServerWebSocket ws, PublicKey key, long prefix) {
    byte[] challenge = new byte[32];
    RANDOM.nextBytes(challenge);
    AtomicBoolean proven = new AtomicBoolean();
    AtomicBoolean placeGiven = new AtomicBoolean();
    Runnable givePlaceBack = () -> {
      if (placeGiven.compareAndSet(false, true)) {
        relay.endProof(prefix);
      }
    };
    long timer = vertx.setTimer(PROOF_MILLIS, t -> {
      if (!proven.get()) {
        refuse(ws, new ApiError(401, "NO_PROOF", "no proof of the key within " + PROOF_MILLIS + " ms", null));
      }
    });
    ws.textMessageHandler(text -> {
      if (proven.get()) {
        return; // an attached page has nothing more to say
      }
      vertx.cancelTimer(timer);
      givePlaceBack.run();
      Optional<byte[]> signature = proofSignature(text);
      byte[] signed = ByteBuffer.allocate(PROOF_LABEL.length + 32 + PublicKey.BYTES).put(PROOF_LABEL)
          .put(challenge).put(key.toBytes()).array();
      if (signature.isEmpty() || !key.verify(signed, signature.get())) {
        refuse(ws, new ApiError(403, "BAD_PROOF", "the proof does not verify with key " + key.toHex()
            .substring(0, 16) + "...", null));
        return;
      }
      proven.set(true);
      SignalRelay.Session session = new SignalRelay.Session(key, prefix,
          bytes -> ws.writeBinaryMessage(Buffer.buffer(bytes)),
          () -> refuse(ws, new ApiError(409, "REPLACED", "another inbox for this key attached", null)));
      Optional<ApiError> refusal = relay.attach(session);
      if (refusal.isPresent()) {
        refuse(ws, refusal.get());
        return;
      }
      meters.gatewaySignalSession("attached");
      ws.closeHandler(v -> {
        relay.detach(session);
        givePlaceBack.run();
      });
      ws.writeTextMessage("{\"type\":\"ATTACHED\",\"key\":\"" + key.toHex() + "\",\"node\":\""
          + nodeEndpoint(ws) + "\"}");
    });
    ws.closeHandler(v -> {
      vertx.cancelTimer(timer);
      givePlaceBack.run();
    });
    ws.writeTextMessage("{\"type\":\"CHALLENGE\",\"challenge\":\"" + HexFormat.of().formatHex(challenge) + "\"}");
  }

  private static Optional<byte[]> proofSignature(String text) {
    try {
      var node = JsonViews.JSON.readTree(text.length() > 512 ? "" : text);
      if (node == null || !"PROOF".equals(node.path("type").asText())) {
        return Optional.empty();
      }
      byte[] sig = HexFormat.of().parseHex(node.path("signature").asText());
      return sig.length == 64 ? Optional.of(sig) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private void refuse(ServerWebSocket ws, ApiError e) {
    meters.gatewaySignalSession(e.code().toLowerCase(Locale.ROOT));
    LOG.info("gateway.signal_session_refused", "remote", ws.remoteAddress(), "code", e.code());
    if (!ws.isClosed()) {
      ws.writeTextMessage(JsonViews.write(JsonViews.error(e.code(), e.message(), null)));
      ws.close((short) 1008, WatchEndpoint.closeReason(e));
    }
  }

  private void sessionRefused(HttpServerRequest req, ApiError e) {
    meters.gatewaySignalSession(e.code().toLowerCase(Locale.ROOT));
    JsonReplies.reply(req, e);
  }

  private void refused(HttpServerRequest req, ApiError e) {
    meters.gatewaySignal(e.code().toLowerCase(Locale.ROOT));
    LOG.info("gateway.signal_refused", "remote", req.remoteAddress(), "code", e.code());
    JsonReplies.reply(req, e);
  }

  private static ApiError tooLarge() {
    return new ApiError(413, "BODY_TOO_LARGE", "a signal is at most " + SignalRelay.MAX_BODY_BYTES + " bytes", null);
  }

  private static Optional<InetAddress> address(String host) {
    try {
      return Optional.of(InetAddress.getByName(host));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static long parseLength(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
