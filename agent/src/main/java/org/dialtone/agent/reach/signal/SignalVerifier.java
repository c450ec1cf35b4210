package org.dialtone.agent.reach.signal;

import java.util.Objects;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.time.Clock;

/**
 * Decides whether an agent believes a signal addressed to it: size and form, signature, recipient, times, replay, in
 * that order (cheap checks first; the replay table is touched only by signals that verified). Also the check a
 * forwarding node makes before passing a signal on. Not thread-safe: call it from one scheduler.
 */
public final class SignalVerifier {
  /** The longest lifetime a signal may claim: a punch is coordinated within seconds. */
  public static final long MAX_LIFETIME_MILLIS = 60_000;
  /** How far in the future an issue time may lie (clock skew between the two agents). */
  public static final long MAX_SKEW_MILLIS = 10_000;
  /** Signals remembered against replay: 4,096 in 60 s is about 68 a second, far above an agent's need. */
  public static final int DEFAULT_REPLAY_CAPACITY = 4096;

  private final Clock clock;
  private final PublicKey self;
  private final ReplayGuard replays;

  /** A verifier for signals to {@code self}, on {@code clock}, remembering up to {@code replayCapacity}. */
  public SignalVerifier(Clock clock, PublicKey self, int replayCapacity) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.self = Objects.requireNonNull(self, "self must not be null");
    this.replays = new ReplayGuard(replayCapacity);
  }

  /**
   * Decodes and verifies a signal for this agent, and remembers its nonce.
   *
   * @throws SignalException with the first reason it fails; a refused signal changes nothing
   */
  public SignedSignal accept(byte[] bytes) throws SignalException {
    SignedSignal signal = SignalCodec.decode(bytes);
    SignalBody body = signal.body();
    checkForwardable(signal, clock.epochMillis());
    if (!body.recipient().equals(self)) {
      throw new SignalException(SignalError.WRONG_RECIPIENT, "for " + body.recipient() + ", not " + self);
    }
    replays.admit(body.sender(), body.nonce(), body.expiresAtMillis(), clock.epochMillis());
    return signal;
  }

  /**
   * What a node checks before forwarding a signal: signature, lifetime and expiry (not the recipient, not replay:
   * that is the recipient's job). Forwarding only verified signals keeps a node from being used to carry garbage.
   */
  public static void checkForwardable(SignedSignal signal, long nowEpochMillis) throws SignalException {
    SignalBody body = signal.body();
    long lifetime = body.expiresAtMillis() - body.issuedAtMillis();
    if (lifetime <= 0 || lifetime > MAX_LIFETIME_MILLIS) {
      throw new SignalException(SignalError.BAD_LIFETIME, "lifetime " + lifetime + " ms, must be 1.."
          + MAX_LIFETIME_MILLIS);
    }
    if (!signal.signatureValid()) {
      throw new SignalException(SignalError.BAD_SIGNATURE, "not signed by " + body.sender());
    }
    if (nowEpochMillis >= body.expiresAtMillis()) {
      throw new SignalException(SignalError.EXPIRED, "expired " + (nowEpochMillis - body.expiresAtMillis())
          + " ms ago");
    }
    if (body.issuedAtMillis() > nowEpochMillis + MAX_SKEW_MILLIS) {
      throw new SignalException(SignalError.NOT_YET_VALID, "issued " + (body.issuedAtMillis() - nowEpochMillis)
          + " ms in the future");
    }
  }

  /** Signals remembered now (for metrics and tests). */
  public int remembered() {
    replays.forgetExpired(clock.epochMillis());
    return replays.size();
  }
}
