package org.dialtone.dht.rpc;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.dialtone.dht.net.PeerAddress;

/**
 * Per-address token buckets: each address may send {@code burst} requests at once and {@code ratePerSecond} on
 * average, so one noisy or hostile peer cannot take all of a node's time.
 *
 * <p>Bounded: at most {@code maxTrackedAddresses} buckets are kept, the least recently used one goes first. An evicted
 * address simply starts again with a full bucket; an attacker with many addresses gains no more than it would from
 * those addresses anyway, and the node's memory stays fixed. A bucket that has refilled to the burst is forgotten
 * too: a fresh one would answer the same, so the limiter in practice holds only the addresses heard from in the last
 * burst/rate seconds (2 s with the node's defaults), not the last 10,000. Time is passed in; single-threaded. The
 * node's defaults are {@code DhtConfig}'s {@code DEFAULT_RATE_LIMIT_*} constants.
 */
public final class RateLimiter {
  private final double tokensPerNano;
  private final int burst;
  private final Map<Object, Bucket> buckets; // keyed by address, or by a host or prefix (RequestLimiter)

  /**
   * A limiter allowing each address {@code burst} requests at once and {@code ratePerSecond} on average, tracking at
   * most {@code maxTrackedAddresses} addresses.
   */
  public RateLimiter(double ratePerSecond, int burst, int maxTrackedAddresses) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("ratePerSecond must be positive and finite, got " + ratePerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, got " + burst);
    }
    if (maxTrackedAddresses < 1) {
      throw new IllegalArgumentException("maxTrackedAddresses must be at least 1, got " + maxTrackedAddresses);
    }
    this.tokensPerNano = ratePerSecond / 1e9;
    this.burst = burst;
    // Access order plus removeEldestEntry: a bounded LRU map.
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Object, Bucket> eldest) {
        return size() > maxTrackedAddresses;
      }
    };
  }

  /**
   * Takes one token from {@code from}'s bucket if it has one.
   *
   * @param nowMonotonicNanos monotonic time in nanoseconds; a value earlier than the last one adds nothing
   * @return true when the request may be served, false when it should be refused ({@code RATE_LIMITED}) or dropped
   */
  public boolean tryAcquire(PeerAddress from, long nowMonotonicNanos) {
    return tryAcquireKey(Objects.requireNonNull(from, "from"), nowMonotonicNanos);
  }

  /**
   * As {@link #tryAcquire(PeerAddress, long)}, for a bucket keyed by anything with value equality: a host or a
   * network prefix ({@link org.dialtone.dht.net.PeerAddress.Subnet}).
   */
  public boolean tryAcquireKey(Object from, long nowMonotonicNanos) {
    Objects.requireNonNull(from, "from");
    forgetRefilled(nowMonotonicNanos);
    Bucket b = buckets.get(from);
    if (b == null) {
      b = new Bucket(burst, nowMonotonicNanos);
      buckets.put(from, b);
    } else {
      long elapsed = nowMonotonicNanos - b.lastNanos;
      if (elapsed > 0) {
        b.tokens = Math.min(burst, b.tokens + elapsed * tokensPerNano);
        b.lastNanos = nowMonotonicNanos;
      }
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }

  // Drops least recently used buckets that are full again by now: a full bucket and no bucket answer alike (a new
  // one starts full). Looks at two at most, so a call stays O(1) and the map still shrinks as fast as it can grow.
  private void forgetRefilled(long nowMonotonicNanos) {
    Iterator<Bucket> eldestFirst = buckets.values().iterator();
    for (int i = 0; i < 2 && eldestFirst.hasNext(); i++) {
      Bucket b = eldestFirst.next();
      long elapsed = nowMonotonicNanos - b.lastNanos;
      if (elapsed < 0 || b.tokens + elapsed * tokensPerNano < burst) {
        return;
      }
      eldestFirst.remove();
    }
  }

  /**
   * The number of addresses with a bucket now: at most {@code maxTrackedAddresses}, and only those whose bucket may
   * not have refilled yet.
   */
  public int trackedAddresses() {
    return buckets.size();
  }

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long lastNanos) {
      this.tokens = tokens;
      this.lastNanos = lastNanos;
    }
  }
}
