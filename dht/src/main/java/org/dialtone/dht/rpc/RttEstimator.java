package org.dialtone.dht.rpc;

/**
 * Round-trip time estimate and retransmission timeout, as TCP does it (RFC 6298): a smoothed RTT and its mean
 * deviation, timeout = srtt + 4 * rttvar, clamped to [min, max]. Only replies to first transmissions are sampled
 * (Karn's rule), since a reply to a retransmitted request cannot say which copy it answers.
 */
public final class RttEstimator {
  private final long minTimeoutNanos;
  private final long maxTimeoutNanos;
  private long srttNanos;
  private long rttvarNanos;
  private long timeoutNanos;
  private boolean sampled;

  /** An estimator that starts with {@code initialMillis} until the first sample arrives. */
  public RttEstimator(long initialMillis, long minMillis, long maxMillis) {
    if (minMillis <= 0 || maxMillis < minMillis) {
      throw new IllegalArgumentException("need 0 < min <= max, got " + minMillis + ", " + maxMillis);
    }
    this.minTimeoutNanos = minMillis * 1_000_000L;
    this.maxTimeoutNanos = maxMillis * 1_000_000L;
    this.timeoutNanos = clamp(initialMillis * 1_000_000L);
  }

  /** Feeds one measured round trip. */
  public void sample(long rttNanos) {
    if (rttNanos < 0) {
      return;
    }
    if (!sampled) {
      srttNanos = rttNanos;
      rttvarNanos = rttNanos / 2;
      sampled = true;
    } else {
      long err = Math.abs(srttNanos - rttNanos);
      rttvarNanos = (3 * rttvarNanos + err) / 4;
      srttNanos = (7 * srttNanos + rttNanos) / 8;
    }
    timeoutNanos = clamp(srttNanos + 4 * rttvarNanos);
  }

  /** The timeout for a first transmission, in milliseconds. */
  public long timeoutMillis() {
    return Math.max(1, timeoutNanos / 1_000_000L);
  }

  /** The timeout for transmission number {@code attempt} (1 = first): doubled for each retry, capped at max. */
  public long timeoutMillis(int attempt) {
    long t = timeoutNanos << Math.min(attempt - 1, 16);
    return Math.max(1, Math.min(t, maxTimeoutNanos) / 1_000_000L);
  }

  /** The smoothed round-trip time in milliseconds (0 before the first sample). */
  public double smoothedRttMillis() {
    return srttNanos / 1e6;
  }

  private long clamp(long nanos) {
    return Math.max(minTimeoutNanos, Math.min(maxTimeoutNanos, nanos));
  }
}
