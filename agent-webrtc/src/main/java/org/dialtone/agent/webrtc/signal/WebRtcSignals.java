package org.dialtone.agent.webrtc.signal;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.signal.Nonce128;
import org.dialtone.agent.reach.signal.Refusal;
import org.dialtone.agent.reach.signal.SignalBody;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalError;
import org.dialtone.agent.reach.signal.SignalException;
import org.dialtone.agent.reach.signal.SignalKind;
import org.dialtone.agent.reach.signal.SignalTransport;
import org.dialtone.agent.reach.signal.SignalVerifier;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.time.Clock;

/**
 * One agent's WebRTC signals with browsers, without I/O: the REQUEST (an offer) and ANSWER envelopes it signs, and
 * the checks on those it receives, exactly as the web page's {@code BrowserAgent} makes and checks them (transport
 * WEBRTC, the description without candidate lines as the payload, the candidates in the envelope; signature,
 * recipient, lifetime, replay, and an ANSWER only from the agent called, in the session this agent chose).
 *
 * <p>The description carries the DTLS fingerprint ({@code a=fingerprint}), so the sender's signature binds the
 * encrypted channel that follows to its key: a node that passes the signal on cannot put its own certificate in.
 * Every refusal is counted by reason ({@link #refused()}) and changes nothing. Thread-safe (one lock).
 */
public final class WebRtcSignals {
  /** How long a signal this agent signs is valid: the page's 30 s. */
  public static final long LIFETIME_MILLIS = 30_000;
  /** Calls waiting for an answer at once: more are refused with {@code BUSY}. */
  public static final int MAX_PENDING_CALLS = 16;

  private final Identity self;
  private final Clock clock;
  private final RandomGenerator random;
  private final SignalVerifier verifier;
  private final Map<Nonce128, PublicKey> calls = new HashMap<>();
  private final EnumMap<SignalError, Long> refused = new EnumMap<>(SignalError.class);

  /** Signals for {@code self}, times on {@code clock}, sessions and nonces from {@code random}. */
  public WebRtcSignals(Identity self, Clock clock, RandomGenerator random) {
    this.self = Objects.requireNonNull(self, "self must not be null");
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.random = Objects.requireNonNull(random, "random must not be null");
    this.verifier = new SignalVerifier(clock, self.publicKey(), SignalVerifier.DEFAULT_REPLAY_CAPACITY);
  }

  /** A signal this agent accepted. */
  public sealed interface Inbound permits Offer, Answer {
    /** Who signed it. */
    PublicKey peer();

    /** The session the caller chose. */
    Nonce128 session();

    /** The description with the envelope's candidates put back as candidate lines. */
    String sdp();
  }

  /** A browser's offer: answer it in the same session. */
  public record Offer(PublicKey peer, Nonce128 session, String sdp) implements Inbound {}

  /** The answer to a call this agent made. */
  public record Answer(PublicKey peer, Nonce128 session, String sdp) implements Inbound {}

  /** Checks a signal from the inbox. */
  public synchronized Inbound receive(byte[] bytes) throws SignalException {
    try {
      SignedSignal signal = verifier.accept(bytes);
      SignalBody b = signal.body();
      if (b.transport() != SignalTransport.WEBRTC) {
        throw new SignalException(SignalError.UNEXPECTED, "not a WebRTC signal: " + b.transport());
      }
      String sdp = SdpCandidates.join(new String(b.payload(), StandardCharsets.UTF_8), b.candidates());
      return switch (b.kind()) {
        case REQUEST -> new Offer(b.sender(), b.session(), sdp);
        case ANSWER -> {
          PublicKey called = calls.get(b.session());
          // only the agent called may answer, in the session this agent chose
          if (called == null || !called.equals(b.sender())) {
            throw new SignalException(SignalError.UNEXPECTED, "an answer nobody asked for");
          }
          if (b.refusal() != Refusal.NONE) {
            throw new SignalException(SignalError.UNEXPECTED, "the call was refused: " + b.refusal());
          }
          calls.remove(b.session());
          yield new Answer(b.sender(), b.session(), sdp);
        }
        case SYNC -> throw new SignalException(SignalError.UNEXPECTED, "a SYNC has no place in WebRTC");
      };
    } catch (SignalException e) {
      refused.merge(e.error(), 1L, Long::sum);
      throw e;
    }
  }

  /** Starts a call to {@code peer}: the session its answer must name. */
  public synchronized Nonce128 beginCall(PublicKey peer) throws SignalException {
    if (calls.size() >= MAX_PENDING_CALLS) {
      throw new SignalException(SignalError.BUSY, calls.size() + " calls wait for an answer already");
    }
    Nonce128 session = Nonce128.random(random);
    calls.put(session, peer);
    return session;
  }

  /** Ends a call that got no answer (or that failed): a late answer is then refused. */
  public synchronized void endCall(Nonce128 session) {
    calls.remove(session);
  }

  /** A signed REQUEST with this agent's offer, for {@code peer} in {@code session}. */
  public byte[] request(PublicKey peer, Nonce128 session, String sdp) throws SignalException {
    return sign(SignalKind.REQUEST, peer, session, sdp);
  }

  /** A signed ANSWER with this agent's answer to {@code offer}. */
  public byte[] answer(Offer offer, String sdp) throws SignalException {
    return sign(SignalKind.ANSWER, offer.peer(), offer.session(), sdp);
  }

  /** Signals refused so far, by reason. */
  public synchronized Map<SignalError, Long> refused() {
    return Map.copyOf(refused);
  }

  private byte[] sign(SignalKind kind, PublicKey peer, Nonce128 session, String sdp) throws SignalException {
    SdpCandidates.Split split = SdpCandidates.split(sdp);
    byte[] payload = split.text().getBytes(StandardCharsets.UTF_8);
    if (payload.length > SignalCodec.MAX_PAYLOAD_BYTES) {
      throw new SignalException(SignalError.TOO_LARGE, "the description is " + payload.length + " bytes, at most "
          + SignalCodec.MAX_PAYLOAD_BYTES);
    }
    long now = clock.epochMillis();
    Nonce128 nonce;
    synchronized (this) {
      nonce = Nonce128.random(random);
    }
    SignalBody body = new SignalBody(kind, SignalTransport.WEBRTC, NatType.UNKNOWN, Refusal.NONE, self.publicKey(),
        peer, session, nonce, now, now + LIFETIME_MILLIS, split.candidates(), payload);
    return SignalCodec.encode(SignedSignal.sign(body, self));
  }
}
