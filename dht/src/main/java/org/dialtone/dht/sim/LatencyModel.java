package org.dialtone.dht.sim;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.dialtone.dht.net.PeerAddress;

/**
 * How long a datagram takes from one simulated address to another. Called once per datagram sent, on the simulation
 * thread, with the network's seeded generator: a model that draws only from {@code rng} keeps the simulation
 * deterministic.
 */
@FunctionalInterface
public interface LatencyModel {
  /** The one-way delay of a datagram from {@code from} to {@code to}, in nanoseconds (0 or more). */
  long latencyNanos(PeerAddress from, PeerAddress to, RandomGenerator rng);

  /** Every datagram takes exactly {@code latency}. */
  static LatencyModel fixed(Duration latency) {
    long nanos = nonNegativeNanos(latency, "latency");
    return (from, to, rng) -> nanos;
  }

  /** Each datagram takes a delay drawn uniformly from [{@code min}, {@code max}], independently of the others. */
  static LatencyModel uniform(Duration min, Duration max) {
    long lo = nonNegativeNanos(min, "min");
    long hi = nonNegativeNanos(max, "max");
    if (hi < lo) {
      throw new IllegalArgumentException("max " + max + " is below min " + min);
    }
    if (hi == lo) {
      return (from, to, rng) -> lo;
    }
    return (from, to, rng) -> rng.nextLong(lo, hi + 1);
  }

  /**
   * Each unordered pair of addresses has its own fixed delay in [{@code min}, {@code max}], the same in both
   * directions and for every datagram, derived from a hash of the pair and {@code seed}. Nothing is stored per link,
   * so it costs no memory however many nodes there are; the network's generator is not used.
   */
  static LatencyModel perLink(Duration min, Duration max, long seed) {
    long lo = nonNegativeNanos(min, "min");
    long hi = nonNegativeNanos(max, "max");
    if (hi < lo) {
      throw new IllegalArgumentException("max " + max + " is below min " + min);
    }
    long span = hi - lo + 1;
    return (from, to, rng) -> {
      long a = addressHash(from, seed);
      long b = addressHash(to, seed);
      long pair = mix(Math.min(a, b) * 0x9E3779B97F4A7C15L + Math.max(a, b));
      return lo + Long.remainderUnsigned(pair, span);
    };
  }

  private static long nonNegativeNanos(Duration d, String what) {
    Objects.requireNonNull(d, what + " must not be null");
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, got " + d);
    }
    return d.toNanos();
  }

  /** A 64-bit hash of an address under {@code seed}, for {@link #perLink}. */
  private static long addressHash(PeerAddress address, long seed) {
    long h = mix(seed ^ 0x243F6A8885A308D3L);
    for (byte b : address.ipBytes()) {
      h = mix(h ^ (b & 0xff));
    }
    return mix(h ^ address.port());
  }

  /** The SplitMix64 finaliser. */
  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
