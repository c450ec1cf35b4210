package org.dialtone.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The laws of the adaptive timeout (RFC 6298 with clamping), whatever round trips are measured. */
class RttEstimatorProperties {
  private static final long MIN = 250;
  private static final long MAX = 4_000;

  @Property
  void theTimeoutStaysWithinItsBounds(
      @ForAll @LongRange(min = 0, max = 10_000) long initialMillis,
      @ForAll @Size(max = 200) List<@LongRange(min = -1_000_000, max = 60_000_000_000L) Long> samplesNanos) {
    RttEstimator e = new RttEstimator(initialMillis, MIN, MAX);
    assertInBounds(e);
    for (long s : samplesNanos) {
      e.sample(s);
      assertInBounds(e);
    }
  }

  private static void assertInBounds(RttEstimator e) {
    long t = e.timeoutMillis();
    assertTrue(t >= MIN && t <= MAX, "timeout " + t + " outside [" + MIN + ", " + MAX + "]");
  }

  @Property
  void steadyRoundTripsGiveATimeoutOfThatRoundTripClamped(
      @ForAll @LongRange(min = 0, max = 10_000_000_000L) long rttNanos,
      @ForAll @Size(max = 20) List<@LongRange(min = 0, max = 10_000_000_000L) Long> before) {
    RttEstimator e = new RttEstimator(1_000, MIN, MAX);
    before.forEach(e::sample);
    for (int i = 0; i < 200; i++) { // the deviation decays by 3/4 per sample
      e.sample(rttNanos);
    }
    long expected = Math.max(MIN, Math.min(MAX, rttNanos / 1_000_000L));
    long t = e.timeoutMillis();
    assertTrue(Math.abs(t - expected) <= 1, "timeout " + t + " ms after steady " + rttNanos + " ns, expected ~"
        + expected);
  }

  @Property
  void retriesBackOffMonotonicallyUpToTheCeiling(
      @ForAll @Size(max = 50) List<@LongRange(min = 0, max = 10_000_000_000L) Long> samplesNanos,
      @ForAll @IntRange(min = 1, max = 40) int attempts) {
    RttEstimator e = new RttEstimator(1_000, MIN, MAX);
    samplesNanos.forEach(e::sample);
    assertEquals(e.timeoutMillis(), e.timeoutMillis(1), "the first attempt waits the base timeout");
    long previous = 0;
    for (int a = 1; a <= attempts; a++) {
      long t = e.timeoutMillis(a);
      assertTrue(t >= previous, "attempt " + a + " waits less than the one before");
      assertTrue(t <= MAX, "attempt " + a + " waits past the ceiling");
      if (a > 1 && previous * 2 < MAX) {
        assertTrue(Math.abs(previous * 2 - t) <= 1, "attempt " + a + " waits " + t + " ms, not double " + previous);
      }
      previous = t;
    }
  }

  @Property
  void negativeSamplesChangeNothing(@ForAll @Size(max = 20) List<@LongRange(min = 0, max = 10_000_000_000L) Long> s,
      @ForAll @LongRange(min = Long.MIN_VALUE, max = -1) long negative) {
    RttEstimator a = new RttEstimator(1_000, MIN, MAX);
    RttEstimator b = new RttEstimator(1_000, MIN, MAX);
    for (long x : s) {
      a.sample(x);
      b.sample(x);
      b.sample(negative);
    }
    assertEquals(a.timeoutMillis(), b.timeoutMillis());
    assertEquals(a.smoothedRttMillis(), b.smoothedRttMillis());
  }
}
