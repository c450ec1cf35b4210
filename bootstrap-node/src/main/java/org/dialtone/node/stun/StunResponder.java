package org.dialtone.node.stun;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import org.dialtone.node.limit.PrefixRateLimiter;

/**
 * What a node answers to a datagram on its STUN port, and what it counts. Plain and single-threaded; time is passed
 * in. A reply goes only to the datagram's source, is never more than {@link #MAX_AMPLIFICATION} times its size, and
 * each source prefix (IPv4 /24, IPv6 /48) gets at most its share of replies a second (with a burst), all sources
 * together a global rate ({@link #defaultLimits()}).
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

  /** 20 replies a second per prefix (burst 40), 2,000 a second in all, 10,000 prefixes remembered. */
  public static PrefixRateLimiter.Limits defaultLimits() {
    return new PrefixRateLimiter.Limits(20, 40, 2_000, 10_000);
  }

  private final PrefixRateLimiter limiter;
  private final AtomicLongArray counts = new AtomicLongArray(Counter.values().length);

  /** A responder with {@code limits}. */
  public StunResponder(PrefixRateLimiter.Limits limits) {
    this.limiter = new PrefixRateLimiter(limits);
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
    if (!limiter.tryAcquire(from.getAddress(), nowNanos)) {
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
    return limiter.trackedPrefixes();
  }
}
