package org.dialtone.node.gateway;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalException;
import org.dialtone.agent.reach.signal.SignalVerifier;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.node.limit.PrefixRateLimiter;
import org.dialtone.node.limit.TokenBucket;

/**
 * The node as a signaling relay for browser agents: who holds a signal session here (an agent that proved its key
 * over {@code WS /signals/{key}}), and whether a posted signal ({@code POST /signals}) may be passed to one. A
 * signal is the Java agents' envelope ({@code reach.signal}, {@code DTS1}), signed by its sender; the node checks it
 * as a forwarding node does ({@link SignalVerifier#checkForwardable}: signature, lifetime, expiry), so it can drop a
 * signal but not make, alter or redirect one; the recipient checks it again. Checks run cheapest first: the sender's
 * network rate before any signature, then size and form, then the signature, then the recipient's rate, so neither a
 * flood from one network nor a flood at one recipient costs more than a token. Plain; time is passed in; thread-safe.
 */
final class SignalRelay {
  /** A body past this is refused before it is read whole: the envelope's own bound. */
  static final int MAX_BODY_BYTES = SignalCodec.MAX_BYTES;
  /** Signals one /24 or /48 may post: 5 a second, burst 20 (an exchange is two or three), 500 a second in all. */
  static final PrefixRateLimiter.Limits SENDER_LIMITS = new PrefixRateLimiter.Limits(5, 20, 500, 10_000);
  /**
   * Signals other nodes may forward here (DHT SIGNAL), per forwarding node's /24 or /48: a node carries the signals
   * of many pages, so ten times a page's rate; 500 a second in all.
   */
  static final PrefixRateLimiter.Limits NODE_LIMITS = new PrefixRateLimiter.Limits(50, 200, 500, 10_000);
  /** Signals one recipient may be sent, from everyone together: 5 a second, burst 20. */
  static final double PER_RECIPIENT_PER_SECOND = 5;
  static final int PER_RECIPIENT_BURST = 20;
  /** Recipients whose rate is remembered (the least recently signalled is forgotten first). */
  static final int TRACKED_RECIPIENTS = 10_000;
  /** Signal sessions at once, and per client /24 or /48. */
  static final int MAX_SESSIONS = 1024;
  static final int MAX_SESSIONS_PER_PREFIX = 16;
  /** Inboxes waiting for their proof (at most 10 s each), in all and per client /24 or /48. */
  static final int MAX_UNPROVEN = 256;
  static final int MAX_UNPROVEN_PER_PREFIX = 8;

  private final PrefixRateLimiter senders = new PrefixRateLimiter(SENDER_LIMITS);
  private final PrefixRateLimiter nodes = new PrefixRateLimiter(NODE_LIMITS);
  private final Map<PublicKey, TokenBucket> recipients = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<PublicKey, TokenBucket> eldest) {
      return size() > TRACKED_RECIPIENTS;
    }
  };
  private final Map<PublicKey, Session> sessions = new HashMap<>();
  private final Map<Long, Integer> sessionsPerPrefix = new HashMap<>();
  private final Map<Long, Integer> unprovenPerPrefix = new HashMap<>();
  private int unproven;

  /**
   * A proven session: signals for {@code key} go to {@code sink}; {@code onReplaced} runs when a newer session of the
   * same key takes its place (the caller closes the old socket).
   */
  record Session(PublicKey key, long prefix, Consumer<byte[]> sink, Runnable onReplaced) {}

  /**
   * Checks a posted signal from {@code from} and hands it to its recipient's session.
   *
   * @return the signal delivered, or the error to answer (a refusal changes nothing but the sender's tokens)
   */
  synchronized Result post(byte[] body, InetAddress from, long nowMillis, long nowNanos) {
    if (!senders.tryAcquire(from, nowNanos)) {
      return Result.refused(429, "RATE_LIMITED", "at most " + (int) SENDER_LIMITS.perPrefixPerSecond()
          + " signals a second from one network (burst " + SENDER_LIMITS.perPrefixBurst() + ")");
    }
    return deliver(body, nowMillis, nowNanos);
  }

  /**
   * Checks a signal that the node at {@code fromNode} forwarded here (a DHT SIGNAL) exactly as a posted one, with the
   * forwarding node's network in place of the sender's (at {@link #NODE_LIMITS}), and hands it to its recipient's
   * session. A signal for an agent not attached here is refused ({@code NOT_ATTACHED}) and never forwarded again:
   * signals cross one pair of nodes at most, so no loop can form.
   */
  synchronized Result receive(byte[] body, InetAddress fromNode, long nowMillis, long nowNanos) {
    if (!nodes.tryAcquire(fromNode, nowNanos)) {
      return Result.refused(429, "RATE_LIMITED", "at most " + (int) NODE_LIMITS.perPrefixPerSecond()
          + " signals a second from one node's network");
    }
    return deliver(body, nowMillis, nowNanos);
  }

  private Result deliver(byte[] body, long nowMillis, long nowNanos) {
    SignedSignal signal;
    try {
      signal = SignalCodec.decode(body);
      SignalVerifier.checkForwardable(signal, nowMillis);
    } catch (SignalException e) {
      int status = switch (e.error()) {
        case TOO_LARGE -> 413;
        case BAD_SIGNATURE -> 403;
        default -> 400;
      };
      return Result.refused(status, e.error().name(), LogSafe.clip(String.valueOf(e.getMessage())));
    }
    PublicKey to = signal.body().recipient();
    if (!recipients.computeIfAbsent(to, k -> new TokenBucket(PER_RECIPIENT_PER_SECOND, PER_RECIPIENT_BURST))
        .tryTake(nowNanos)) {
      return Result.refused(429, "RECIPIENT_RATE_LIMITED", "at most " + (int) PER_RECIPIENT_PER_SECOND
          + " signals a second to one agent (burst " + PER_RECIPIENT_BURST + ")");
    }
    Session session = sessions.get(to);
    if (session == null) {
      return new Result(Optional.empty(), Optional.of(new ApiError(404, "NOT_ATTACHED", "agent "
          + to.toHex().substring(0, 16) + "... holds no signal session on this node", null)), Optional.of(signal));
    }
    session.sink().accept(body.clone());
    return new Result(Optional.of(signal), Optional.empty(), Optional.empty());
  }

  /**
   * Opens {@code session} (whose key the caller has proven): a newer session of the same key replaces the older,
   * whose {@code onReplaced} runs.
   *
   * @return the refusal, when the node or the client's network holds its sessions
   */
  synchronized Optional<ApiError> attach(Session session) {
    Session old = sessions.get(session.key());
    int inPrefix = sessionsPerPrefix.getOrDefault(session.prefix(), 0)
        - (old != null && old.prefix() == session.prefix() ? 1 : 0);
    if (old == null && sessions.size() >= MAX_SESSIONS) {
      return Optional.of(new ApiError(503, "TOO_MANY_SESSIONS", "the node holds its " + MAX_SESSIONS
          + " signal sessions", null));
    }
    if (inPrefix >= MAX_SESSIONS_PER_PREFIX) {
      return Optional.of(new ApiError(503, "TOO_MANY_SESSIONS", "this network holds its " + MAX_SESSIONS_PER_PREFIX
          + " signal sessions", null));
    }
    if (old != null) {
      remove(old);
      old.onReplaced().run();
    }
    sessions.put(session.key(), session);
    sessionsPerPrefix.merge(session.prefix(), 1, Integer::sum);
    return Optional.empty();
  }

  /** Closes {@code session} if it is still the one held for its key. */
  synchronized void detach(Session session) {
    if (sessions.get(session.key()) == session) {
      remove(session);
    }
  }

  private void remove(Session s) {
    sessions.remove(s.key());
    sessionsPerPrefix.computeIfPresent(s.prefix(), (k, v) -> v == 1 ? null : v - 1);
  }

  /**
   * Takes a place for an inbox that has yet to prove its key, for a client in {@code prefix}; give it back with
   * {@link #endProof} whatever the outcome.
   *
   * @return the refusal, when too many wait for their proof, from everyone or from this network
   */
  synchronized Optional<ApiError> beginProof(long prefix) {
    if (unproven >= MAX_UNPROVEN || unprovenPerPrefix.getOrDefault(prefix, 0) >= MAX_UNPROVEN_PER_PREFIX) {
      return Optional.of(new ApiError(503, "TOO_MANY_SESSIONS", "too many inboxes wait for their proof"
          + (unproven >= MAX_UNPROVEN ? "" : " from this network") + "; prove the key within 10 s", null));
    }
    unproven++;
    unprovenPerPrefix.merge(prefix, 1, Integer::sum);
    return Optional.empty();
  }

  /** Gives back the place {@link #beginProof} took. */
  synchronized void endProof(long prefix) {
    unproven--;
    unprovenPerPrefix.computeIfPresent(prefix, (k, v) -> v == 1 ? null : v - 1);
  }

  /** Sessions held now. */
  synchronized int sessions() {
    return sessions.size();
  }

  /**
   * A delivered signal or the error to answer; {@code notAttached} holds a signal that passed every check but whose
   * recipient holds no session here (a posted one may then be forwarded to the recipient's node).
   */
  record Result(Optional<SignedSignal> delivered, Optional<ApiError> refusal, Optional<SignedSignal> notAttached) {
    static Result refused(int status, String code, String message) {
      return new Result(Optional.empty(), Optional.of(new ApiError(status, code, message, null)), Optional.empty());
    }
  }
}
