package org.dialtone.node.stun;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a node answers to a datagram on its STUN port, and what it counts. Plain and single-threaded; time is passed
 * in. A reply goes only to the datagram's source, is never more than {@link #MAX_AMPLIFICATION} times its size, and
 * each source prefix (IPv4 /24, IPv6 /48) gets at most {@link Limits#perPrefixPerSecond()} replies a second (with a
 * burst), all sources together {@link Limits#totalPerSecond()}.
 */
public final class StunResponder {
  /** A reply is at most this many times the size of the request that caused it. */
  public static final int MAX_AMPLIFICATION = 3;

  /** What the responder counts. */
  public enum Counter {
    /** Binding requests answered with a success response. */
    ANSWERED,
    /** Binding requests answered with a 420 (comprehension-required attributes not understood). */
    UNKNOWN_ATTRIBUTES,
    /** Datagrams that were not a well-formed Binding request: dropped. */
    MALFORMED,
    /** Requests dropped because their prefix, or all sources together, were over the rate. */
    RATE_LIMITED
  }

  /**
   * The responder's limits.
   *
   * @param perPrefixPerSecond replies a second to one IPv4 /24 or IPv6 /48 (sustained)
   * @param perPrefixBurst replies to one prefix at once
   * @param totalPerSecond replies a second to everyone together
   * @param trackedPrefixes prefixes remembered at once (the least recently heard is forgotten first)
   */
  public record Limits(double perPrefixPerSecond, int perPrefixBurst, double totalPerSecond, int trackedPrefixes) {
    /** 20 a second per prefix (burst 40), 2,000 a second in all, 10,000 prefixes remembered. */
    public static Limits defaults() {
      return new Limits(20, 40, 2_000, 10_000);
    }

    /** Checks every limit is positive. */
    public Limits {
      if (!(perPrefixPerSecond > 0) || perPrefixBurst < 1 || !(totalPerSecond > 0) || trackedPrefixes < 1) {
        throw new IllegalArgumentException("STUN limits must be positive: " + perPrefixPerSecond + ", "
            + perPrefixBurst + ", " + totalPerSecond + ", " + trackedPrefixes);
      }
    }
  }

  private final Limits limits;
  private final Map<Long, Bucket> buckets;
  private final Bucket total;
  private final AtomicLongArray counts = new AtomicLongArray(Counter.values().length);

  /** A responder with {@code limits}. */
  public StunResponder(Limits limits) {
    this.limits = limits;
    this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Bucket> eldest) {
        return size() > limits.trackedPrefixes();
      }
    };
    this.total = new Bucket(limits.totalPerSecond(), (int) Math.max(1, limits.totalPerSecond()));
  }

  /** The reply to {@code datagram} from {@code from} at {@code nowNanos}, or empty when it is dropped. */
  public Optional<byte[]> respond(byte[] datagram, InetSocketAddress from, long nowNanos) {
    StunMessage request;
    try {
      request = StunMessage.parseBindingRequest(datagram);
    } catch (StunException e) {
      counts.incrementAndGet(Counter.MALFORMED.ordinal());
      return Optional.empty();
    }
    Bucket prefix = buckets.computeIfAbsent(prefixOf(from),
        k -> new Bucket(limits.perPrefixPerSecond(), limits.perPrefixBurst()));
    if (!prefix.take(nowNanos) || !total.take(nowNanos)) {
      counts.incrementAndGet(Counter.RATE_LIMITED.ordinal());
      return Optional.empty();
    }
    boolean unknown = !request.unknownRequired().isEmpty();
    byte[] reply = unknown ? request.unknownAttributesResponse() : request.successResponse(from);
    if (reply.length > MAX_AMPLIFICATION * datagram.length) {
      // cannot happen with the sizes above (at most 2.83x); kept so that a future attribute cannot break the bound
      counts.incrementAndGet(Counter.MALFORMED.ordinal());
      return Optional.empty();
    }
    counts.incrementAndGet((unknown ? Counter.UNKNOWN_ATTRIBUTES : Counter.ANSWERED).ordinal());
    return Optional.of(reply);
  }

  /** How many times {@code c} happened. */
  public long count(Counter c) {
    return counts.get(c.ordinal());
  }

  /** Prefixes remembered now. */
  public int trackedPrefixes() {
    return buckets.size();
  }

  /** An IPv4 /24 or an IPv6 /48 as a number (the family in the top bits, so the two never collide). */
  static long prefixOf(InetSocketAddress address) {
    byte[] ip = address.getAddress().getAddress();
    int bytes = ip.length == 4 ? 3 : 6;
    long key = ip.length == 4 ? 4L << 56 : 6L << 56;
    for (int i = 0; i < bytes; i++) {
      key |= (ip[i] & 0xFFL) << (8 * (bytes - 1 - i));
    }
    return key;
  }

  /** A token bucket. */
  private static final class Bucket {
    private final double perNano;
    private final int burst;
    private double tokens;
    private long last = Long.MIN_VALUE;

    Bucket(double perSecond, int burst) {
      this.perNano = perSecond / 1e9;
      this.burst = burst;
      this.tokens = burst;
    }

    boolean take(long now) {
      if (last != Long.MIN_VALUE && now > last) {
        tokens = Math.min(burst, tokens + (now - last) * perNano);
      }
      last = Math.max(last, now);
      if (tokens < 1) {
        return false;
      }
      tokens--;
      return true;
    }
  }
}
