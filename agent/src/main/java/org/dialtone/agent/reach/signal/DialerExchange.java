package org.dialtone.agent.reach.signal;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.time.Clock;

/**
 * The dialler's side of one signaling exchange, as DCUtR's CONNECT, CONNECT, SYNC: it makes the REQUEST, takes the
 * host's ANSWER (measuring the round trip), makes the SYNC, and says when to start punching: half the round trip
 * after sending SYNC, which is about when SYNC reaches the host and the host starts. Pure; one thread.
 *
 * <p>Signals passed in must have been accepted by this agent's {@link SignalVerifier} (signature, recipient, times,
 * replay); this class checks that they belong here: kind, session, and the host dialled as sender.
 */
public final class DialerExchange {
  private enum State { NEW, REQUESTED, ANSWERED, SYNCED, REFUSED }

  private final Clock clock;
  private final Identity self;
  private final PublicKey host;
  private final SignalTransport transport;
  private final RandomGenerator random;
  private final long lifetimeMillis;
  private final Nonce128 session;
  private State state = State.NEW;
  private NatType nat = NatType.UNKNOWN;
  private long requestedAtMillis;
  private long rttMillis = -1;

  /**
   * An exchange from {@code self} to {@code host}.
   *
   * @param random draws the session id and nonces ({@link java.security.SecureRandom} outside tests)
   * @param lifetimeMillis each signal's lifetime, 1 ms to {@link SignalVerifier#MAX_LIFETIME_MILLIS}
   */
  public DialerExchange(Clock clock, Identity self, PublicKey host, SignalTransport transport,
      RandomGenerator random, long lifetimeMillis) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.self = Objects.requireNonNull(self, "self must not be null");
    this.host = Objects.requireNonNull(host, "host must not be null");
    this.transport = Objects.requireNonNull(transport, "transport must not be null");
    this.random = Objects.requireNonNull(random, "random must not be null");
    if (lifetimeMillis <= 0 || lifetimeMillis > SignalVerifier.MAX_LIFETIME_MILLIS) {
      throw new IllegalArgumentException("lifetimeMillis must be 1.." + SignalVerifier.MAX_LIFETIME_MILLIS + ", got "
          + lifetimeMillis);
    }
    this.lifetimeMillis = lifetimeMillis;
    this.session = Nonce128.random(random);
  }

  /** The session id every signal of this exchange carries. */
  public Nonce128 session() {
    return session;
  }

  /** The REQUEST: our NAT type, our candidates, and a payload (a WebRTC offer, or empty). Once. */
  public SignedSignal request(NatType ourNat, List<Candidate> candidates, byte[] payload) {
    require(State.NEW, "request");
    this.nat = Objects.requireNonNull(ourNat, "ourNat must not be null");
    SignedSignal request = sign(SignalKind.REQUEST, candidates, payload);
    requestedAtMillis = clock.monotonicMillis();
    state = State.REQUESTED;
    return request;
  }

  /**
   * Takes the host's answer and measures the round trip.
   *
   * @throws SignalException UNEXPECTED for a signal of another kind, session or sender; the exchange is unchanged
   */
  public Answer onAnswer(SignedSignal answer) throws SignalException {
    require(State.REQUESTED, "take an answer");
    SignalBody b = answer.body();
    if (b.kind() != SignalKind.ANSWER || !b.session().equals(session) || !b.sender().equals(host)
        || !b.recipient().equals(self.publicKey())) {
      throw new SignalException(SignalError.UNEXPECTED, "not the answer of session " + session + " from " + host);
    }
    rttMillis = clock.monotonicMillis() - requestedAtMillis;
    state = b.refusal() == Refusal.NONE ? State.ANSWERED : State.REFUSED;
    return new Answer(b.refusal(), b.nat(), b.candidates(), b.payload(), rttMillis);
  }

  /** The SYNC, after an accepted answer. Start punching {@link #punchStartDelayMillis()} after sending it. */
  public SignedSignal sync() {
    require(State.ANSWERED, "sync");
    state = State.SYNCED;
    return sign(SignalKind.SYNC, List.of(), new byte[0]);
  }

  /** Half the measured round trip (DCUtR): when SYNC is about to reach the host. */
  public long punchStartDelayMillis() {
    if (rttMillis < 0) {
      throw new IllegalStateException("no round trip measured yet: no answer taken");
    }
    return rttMillis / 2;
  }

  private SignedSignal sign(SignalKind kind, List<Candidate> candidates, byte[] payload) {
    long now = clock.epochMillis();
    SignalBody body = new SignalBody(kind, transport, nat, Refusal.NONE, self.publicKey(), host, session,
        Nonce128.random(random), now, now + lifetimeMillis, candidates, payload);
    return SignedSignal.sign(body, self);
  }

  private void require(State expected, String what) {
    if (state != expected) {
      throw new IllegalStateException("cannot " + what + " in state " + state);
    }
  }

  /**
   * The host's answer.
   *
   * @param refusal {@link Refusal#NONE} when accepted
   * @param nat the host's NAT type
   * @param candidates the host's candidates
   * @param payload a WebRTC answer, or empty
   * @param rttMillis from sending the request to taking the answer
   */
  public record Answer(Refusal refusal, NatType nat, List<Candidate> candidates, byte[] payload, long rttMillis) {
    /** Copies. */
    public Answer {
      Objects.requireNonNull(refusal, "refusal must not be null");
      Objects.requireNonNull(nat, "nat must not be null");
      candidates = List.copyOf(candidates);
      payload = payload.clone();
    }

    /** A copy of the payload. */
    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }
}
