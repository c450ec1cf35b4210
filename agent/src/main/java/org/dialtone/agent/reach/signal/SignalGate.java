package org.dialtone.agent.reach.signal;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.time.Clock;

/**
 * The door every punch signal passes: {@link SignalVerifier} (form, signature, times, recipient, replay), then the
 * sender must be the peer the channel proved (a signal forwarded from elsewhere is {@link SignalError#UNEXPECTED}).
 * Every refusal is counted by reason. Thread-safe.
 */
public final class SignalGate {
  private final SignalVerifier verifier;
  private final Map<SignalError, AtomicLong> refused = new EnumMap<>(SignalError.class);

  /** A gate for signals to {@code self}. */
  public SignalGate(Clock clock, PublicKey self) {
    this.verifier = new SignalVerifier(Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(self, "self"),
        SignalVerifier.DEFAULT_REPLAY_CAPACITY);
    for (SignalError e : SignalError.values()) {
      refused.put(e, new AtomicLong());
    }
  }

  /**
   * Verifies {@code bytes} as a signal from {@code peer} to us and remembers its nonce.
   *
   * @throws SignalException the first reason it fails (counted); a refused signal changes nothing else
   */
  public SignedSignal admit(byte[] bytes, PublicKey peer) throws SignalException {
    try {
      SignedSignal signal;
      synchronized (verifier) {
        signal = verifier.accept(bytes);
      }
      if (!signal.body().sender().equals(peer)) {
        throw new SignalException(SignalError.UNEXPECTED, "signed by " + signal.body().sender() + ", not the peer "
            + peer);
      }
      return signal;
    } catch (SignalException e) {
      refused.get(e.error()).incrementAndGet();
      throw e;
    }
  }

  /** Signals refused so far, by reason (every reason listed, zeros included). */
  public Map<SignalError, Long> refused() {
    Map<SignalError, Long> out = new EnumMap<>(SignalError.class);
    refused.forEach((k, v) -> out.put(k, v.get()));
    return Map.copyOf(out);
  }
}
