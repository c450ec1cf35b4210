package org.dialtone.bench.peers;

/**
 * The op generator's PRNG, mulberry32, exactly as in SCENARIO.md §5 and {@code peers/common.mjs}: 32-bit int
 * arithmetic, where Java's {@code *} on ints is JavaScript's {@code Math.imul} and {@code >>>} is the same.
 */
public final class Mulberry32 {
  private int state;

  /** The generator of run {@code seed} at network size {@code n}: state = (seed * 1000 + n) mod 2^32. */
  public Mulberry32(int seed, int n) {
    this.state = seed * 1000 + n;
  }

  /** The next draw, in [0, 1). */
  public double next() {
    state += 0x6D2B79F5;
    int t = state;
    t = (t ^ (t >>> 15)) * (t | 1);
    t ^= t + (t ^ (t >>> 7)) * (t | 61);
    return ((t ^ (t >>> 14)) & 0xFFFFFFFFL) / 4294967296.0;
  }
}
