package org.dialtone.agent.reach.signal;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.time.Clock;

/**
 * The host's side of one signaling exchange: it takes a REQUEST, makes the ANSWER (or a refusal), and takes the
 * SYNC, on which it starts punching at once. Pure; one thread. Signals passed in must have been accepted by this
 * agent's {@link SignalVerifier}; this class checks that they belong here.
 */
public final class HostExchange {
  private enum State { REQUESTED, ANSWERED, SYNCED, REFUSED }

  private final Clock clock;
  private final Identity self;
  private final RandomGenerator random;
  private final long lifetimeMillis;
  private final SignalBody request;
  private State state = State.REQUESTED;

  private HostExchange(Clock clock, Identity self, RandomGenerator random, long lifetimeMillis, SignalBody request) {
    this.clock = clock;
    this.self = self;
    this.random = random;
    this.lifetimeMillis = lifetimeMillis;
    this.request = request;
  }

  /**
   * Starts an exchange on a REQUEST to {@code self}.
   *
   * @throws SignalException UNEXPECTED for another kind or another recipient
   */
  public static HostExchange onRequest(Clock clock, Identity self, RandomGenerator random, long lifetimeMillis,
      SignedSignal request) throws SignalException {
    Objects.requireNonNull(clock, "clock must not be null");
    Objects.requireNonNull(self, "self must not be null");
    Objects.requireNonNull(random, "random must not be null");
    if (lifetimeMillis <= 0 || lifetimeMillis > SignalVerifier.MAX_LIFETIME_MILLIS) {
      throw new IllegalArgumentException("lifetimeMillis must be 1.." + SignalVerifier.MAX_LIFETIME_MILLIS + ", got "
          + lifetimeMillis);
    }
    SignalBody b = request.body();
    if (b.kind() != SignalKind.REQUEST || !b.recipient().equals(self.publicKey())) {
      throw new SignalException(SignalError.UNEXPECTED, "not a request for " + self.publicKey());
    }
    return new HostExchange(clock, self, random, lifetimeMillis, b);
  }

  /** Who dials. */
  public PublicKey dialler() {
    return request.sender();
  }

  /** The dialler's NAT type, as it says. */
  public NatType diallerNat() {
    return request.nat();
  }

  /** The dialler's candidates. */
  public List<Candidate> diallerCandidates() {
    return request.candidates();
  }

  /** The dialler's payload (a WebRTC offer, or empty). */
  public byte[] diallerPayload() {
    return request.payload();
  }

  /** Accepts: our NAT type, candidates and payload. Once. */
  public SignedSignal answer(NatType ourNat, List<Candidate> candidates, byte[] payload) {
    require(State.REQUESTED, "answer");
    state = State.ANSWERED;
    return sign(ourNat, Refusal.NONE, candidates, payload);
  }

  /** Refuses with {@code reason} (not {@link Refusal#NONE}). Once, instead of an answer. */
  public SignedSignal refuse(NatType ourNat, Refusal reason) {
    if (reason == Refusal.NONE) {
      throw new IllegalArgumentException("a refusal needs a reason");
    }
    require(State.REQUESTED, "refuse");
    state = State.REFUSED;
    return sign(ourNat, reason, List.of(), new byte[0]);
  }

  /**
   * Takes the dialler's SYNC: start punching now.
   *
   * @throws SignalException UNEXPECTED for another kind, session or sender; the exchange is unchanged
   */
  public void onSync(SignedSignal sync) throws SignalException {
    require(State.ANSWERED, "take a sync");
    SignalBody b = sync.body();
    if (b.kind() != SignalKind.SYNC || !b.session().equals(request.session())
        || !b.sender().equals(request.sender()) || !b.recipient().equals(self.publicKey())) {
      throw new SignalException(SignalError.UNEXPECTED, "not the sync of session " + request.session());
    }
    state = State.SYNCED;
  }

  private SignedSignal sign(NatType ourNat, Refusal refusal, List<Candidate> candidates, byte[] payload) {
    long now = clock.epochMillis();
    SignalBody body = new SignalBody(SignalKind.ANSWER, request.transport(), ourNat, refusal, self.publicKey(),
        request.sender(), request.session(), Nonce128.random(random), now, now + lifetimeMillis, candidates,
        payload);
    return SignedSignal.sign(body, self);
  }

  private void require(State expected, String what) {
    if (state != expected) {
      throw new IllegalStateException("cannot " + what + " in state " + state);
    }
  }
}
