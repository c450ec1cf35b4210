package org.dialtone.agent.reach.signal;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import org.dialtone.dht.crypto.PublicKey;

/**
 * Remembers each accepted (sender, nonce) until its envelope expires, so a replay within the lifetime is refused
 * and one after it is refused as expired. Bounded: when {@code capacity} unexpired entries are held, new envelopes
 * are refused ({@link SignalError#BUSY}) rather than forgetting one that could then be replayed. Not thread-safe.
 */
final class ReplayGuard {
  private record Seen(PublicKey sender, Nonce128 nonce) {}

  private record Entry(Seen seen, long expiresAtMillis) {}

  private final int capacity;
  private final Map<Seen, Long> seen = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry =
      new PriorityQueue<>((a, b) -> Long.compare(a.expiresAtMillis, b.expiresAtMillis));

  ReplayGuard(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Records the envelope, or throws REPLAYED or BUSY. {@code nowMillis} and expiries are epoch ms. */
  void admit(PublicKey sender, Nonce128 nonce, long expiresAtMillis, long nowMillis) throws SignalException {
    forgetExpired(nowMillis);
    Seen key = new Seen(sender, nonce);
    if (seen.containsKey(key)) {
      throw new SignalException(SignalError.REPLAYED, "nonce " + nonce + " from " + sender + " seen already");
    }
    if (seen.size() >= capacity) {
      throw new SignalException(SignalError.BUSY, capacity + " signals remembered, none expired yet");
    }
    seen.put(key, expiresAtMillis);
    byExpiry.add(new Entry(key, expiresAtMillis));
  }

  /** Drops the entries whose envelopes have expired by {@code nowMillis}. */
  void forgetExpired(long nowMillis) {
    while (!byExpiry.isEmpty() && byExpiry.peek().expiresAtMillis <= nowMillis) {
      seen.remove(byExpiry.poll().seen);
    }
  }

  int size() {
    return seen.size();
  }
}
