package org.dialtone.node.limit;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets per source prefix (IPv4 /24, IPv6 /48) and one for all sources together. Time is passed in.
 * Thread-safe (callers may sit on several event loops).
 */
public final class PrefixRateLimiter {
  /**
   * The limits.
   *
   * @param perPrefixPerSecond what one IPv4 /24 or IPv6 /48 may do a second (sustained)
   * @param perPrefixBurst what one prefix may do at once
   * @param totalPerSecond what all sources together may do a second (the burst is one second's worth)
   * @param trackedPrefixes prefixes remembered at once (the least recently heard is forgotten first)
   */
  public record Limits(double perPrefixPerSecond, int perPrefixBurst, double totalPerSecond, int trackedPrefixes) {
    /** Checks every limit is positive. */
    public Limits {
      if (!(perPrefixPerSecond > 0) || perPrefixBurst < 1 || !(totalPerSecond > 0) || trackedPrefixes < 1) {
        throw new IllegalArgumentException("limits must be positive: " + perPrefixPerSecond + ", "
            + perPrefixBurst + ", " + totalPerSecond + ", " + trackedPrefixes);
      }
    }
  }

  private final Limits limits;
  private final Map<Long, TokenBucket> buckets;
  private final TokenBucket total;

  /** A limiter with {@code limits}, every bucket full. */
  public PrefixRateLimiter(Limits limits) {
    this.limits = limits;
    this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, TokenBucket> eldest) {
        return size() > limits.trackedPrefixes();
      }
    };
    this.total = new TokenBucket(limits.totalPerSecond(), (int) Math.max(1, limits.totalPerSecond()));
  }

  /** Takes one token for {@code from} at {@code nowNanos}; false when its prefix, or everyone, is over the rate. */
  public synchronized boolean tryAcquire(InetAddress from, long nowNanos) {
    TokenBucket prefix = buckets.computeIfAbsent(prefixOf(from),
        k -> new TokenBucket(limits.perPrefixPerSecond(), limits.perPrefixBurst()));
    return prefix.tryTake(nowNanos) && total.tryTake(nowNanos);
  }

  /** Prefixes remembered now. */
  public synchronized int trackedPrefixes() {
    return buckets.size();
  }

  /** An IPv4 /24 or an IPv6 /48 as a number (the family in the top bits, so the two never collide). */
  public static long prefixOf(InetAddress address) {
    byte[] ip = address.getAddress();
    int bytes = ip.length == 4 ? 3 : 6;
    long key = ip.length == 4 ? 4L << 56 : 6L << 56;
    for (int i = 0; i < bytes; i++) {
      key |= (ip[i] & 0xFFL) << (8 * (bytes - 1 - i));
    }
    return key;
  }
}
