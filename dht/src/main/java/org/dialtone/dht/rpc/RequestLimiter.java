package org.dialtone.dht.rpc;

import java.util.Objects;
import org.dialtone.dht.net.PeerAddress;

/**
 * The rate limits a node puts on the requests it serves: one token bucket per host (an IPv4 address, an IPv6 /64,
 * whatever the port) and one per network (IPv4 /24, IPv6 /48) with {@link #PREFIX_MULTIPLE} times the host's rate and
 * burst. A request is served only when both have a token. Rotating source ports therefore gains nothing, and
 * rotating hosts within one network at most the prefix multiple.
 *
 * <p>Local addresses (loopback, private ranges) are limited per address and port instead, unless
 * {@code limitLocalAddresses}: a test network or a LAN of many nodes on one host or /24 must not share one bucket.
 * Tests of the limits turn it on. Bounded like {@link RateLimiter}; time comes in; single-threaded.
 */
public final class RequestLimiter {
  /** How many hosts' worth of requests one network may send. */
  public static final int PREFIX_MULTIPLE = 4;

  private final RateLimiter perHost;
  private final RateLimiter perPrefix;
  private final boolean limitLocalAddresses;

  /**
   * Limits of {@code ratePerSecond} and {@code burst} per host, {@link #PREFIX_MULTIPLE} times that per network,
   * each tracking at most {@code maxTracked} keys.
   */
  public RequestLimiter(double ratePerSecond, int burst, int maxTracked, boolean limitLocalAddresses) {
    this.perHost = new RateLimiter(ratePerSecond, burst, maxTracked);
    this.perPrefix = new RateLimiter(ratePerSecond * PREFIX_MULTIPLE, burst * PREFIX_MULTIPLE, maxTracked);
    this.limitLocalAddresses = limitLocalAddresses;
  }

  /** True when a request from {@code from} may be served now; takes a token from its host's and network's buckets. */
  public boolean tryAcquire(PeerAddress from, long nowMonotonicNanos) {
    Objects.requireNonNull(from, "from");
    if (!limitLocalAddresses && from.isLocal()) {
      return perHost.tryAcquire(from, nowMonotonicNanos);
    }
    return perHost.tryAcquireKey(from.hostPrefix(), nowMonotonicNanos)
        && perPrefix.tryAcquireKey(from.sourcePrefix(), nowMonotonicNanos);
  }

  /** Keys tracked now (hosts plus networks). */
  public int tracked() {
    return perHost.trackedAddresses() + perPrefix.trackedAddresses();
  }
}
