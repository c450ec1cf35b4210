package org.dialtone.node.limit;

/**
 * A token bucket: {@code burst} at once, {@code perSecond} on average. Starts full. Time is passed in (nanoseconds
 * of a monotonic clock); not thread-safe, its owner serialises calls.
 */
public final class TokenBucket {
  private final double perNano;
  private final int burst;
  private double tokens;
  private long last = Long.MIN_VALUE;

  /** A full bucket of {@code burst} tokens refilled at {@code perSecond}. */
  public TokenBucket(double perSecond, int burst) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("a bucket needs a positive rate and burst: " + perSecond + ", " + burst);
    }
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
  }

  /** Takes one token at {@code nowNanos}; false when the bucket is empty. */
  public boolean tryTake(long nowNanos) {
    if (last != Long.MIN_VALUE && nowNanos > last) {
      tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
    }
    last = Math.max(last, nowNanos);
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }
}
