package org.dialtone.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.net.PeerAddress;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final long MS = 1_000_000L;
  private static final long T0 = 42_000 * MS;

  private static PeerAddress addr(int i) {
    return PeerAddress.of(new byte[] {10, 0, (byte) (i >>> 8), (byte) i}, 7440);
  }

  private static int drain(RateLimiter limiter, PeerAddress a, long now) {
    int n = 0;
    while (limiter.tryAcquire(a, now)) {
      n++;
      if (n > 10_000) {
        throw new AssertionError("bucket never ran dry");
      }
    }
    return n;
  }

  @Test
  void burstThenRefillOverTime() {
    RateLimiter limiter = new RateLimiter(10, 5, 100);
    PeerAddress a = addr(1);
    assertEquals(5, drain(limiter, a, T0), "a new address gets a full burst");
    assertFalse(limiter.tryAcquire(a, T0 + 99 * MS), "less than one token refilled");
    assertTrue(limiter.tryAcquire(a, T0 + 100 * MS), "10/s refills one token per 100 ms");
    assertFalse(limiter.tryAcquire(a, T0 + 100 * MS));
    assertEquals(3, drain(limiter, a, T0 + 400 * MS));
    assertEquals(5, drain(limiter, a, T0 + 60_000 * MS), "refill is capped at the burst");
  }

  @Test
  void addressesHaveTheirOwnBuckets() {
    RateLimiter limiter = new RateLimiter(1, 2, 100);
    assertEquals(2, drain(limiter, addr(1), T0));
    assertEquals(2, drain(limiter, addr(2), T0));
    assertFalse(limiter.tryAcquire(PeerAddress.of(new byte[] {10, 0, 0, 1}, 7440), T0));
    assertTrue(limiter.tryAcquire(PeerAddress.of(new byte[] {10, 0, 0, 1}, 7441), T0), "the port is part of it");
  }

  @Test
  void timeGoingBackwardsAddsNothing() {
    RateLimiter limiter = new RateLimiter(1000, 3, 10);
    assertEquals(3, drain(limiter, addr(1), T0));
    assertFalse(limiter.tryAcquire(addr(1), T0 - 1000 * MS));
    assertFalse(limiter.tryAcquire(addr(1), T0));
    assertTrue(limiter.tryAcquire(addr(1), T0 + MS));
  }

  @Test
  void trackedAddressesAreBoundedAndEvictedOnesStartFull() {
    RateLimiter limiter = new RateLimiter(1, 4, 3);
    for (int i = 0; i < 50; i++) {
      limiter.tryAcquire(addr(i), T0);
      assertTrue(limiter.trackedAddresses() <= 3);
    }
    assertEquals(3, limiter.trackedAddresses());

    PeerAddress a = addr(1000);
    assertEquals(4, drain(limiter, a, T0));
    for (int i = 2000; i < 2003; i++) {
      limiter.tryAcquire(addr(i), T0);
    }
    assertEquals(4, drain(limiter, a, T0), "forgotten, so it starts again with a full bucket");
  }

  @Test
  void evictionIsLeastRecentlyUsed() {
    RateLimiter limiter = new RateLimiter(1, 2, 3);
    PeerAddress a = addr(1);
    drain(limiter, a, T0);
    limiter.tryAcquire(addr(2), T0);
    limiter.tryAcquire(addr(3), T0);
    assertFalse(limiter.tryAcquire(a, T0), "touching a makes it the most recent");
    limiter.tryAcquire(addr(4), T0); // evicts addr(2), not a
    assertFalse(limiter.tryAcquire(a, T0), "a is still tracked with an empty bucket");
  }

  @Test
  void refilledBucketsAreForgottenAndAnswerAsBefore() {
    RateLimiter limiter = new RateLimiter(10, 5, 1000); // a used bucket is full again after at most 0.5 s
    for (int i = 0; i < 100; i++) {
      assertTrue(limiter.tryAcquire(addr(i), T0));
    }
    assertEquals(100, limiter.trackedAddresses());
    assertEquals(5, drain(limiter, addr(500), T0 + 100 * MS), "an empty bucket is kept");
    for (int i = 0; i < 60; i++) {
      limiter.tryAcquire(addr(1000 + i), T0 + 200 * MS + i * MS); // the first hundred are full again
    }
    assertTrue(limiter.trackedAddresses() <= 62, "tracked: " + limiter.trackedAddresses());
    assertEquals(5, drain(limiter, addr(7), T0 + 300 * MS), "a forgotten address starts full, as it would have");
    assertEquals(2, drain(limiter, addr(500), T0 + 300 * MS), "the drained one is still tracked: 0.2 s, 2 tokens");
  }

  @Test
  void defaultsAndValidation() {
    RateLimiter limiter = new RateLimiter(DhtConfig.DEFAULT_RATE_LIMIT_PER_SECOND, DhtConfig.DEFAULT_RATE_LIMIT_BURST,
        DhtConfig.DEFAULT_RATE_LIMIT_TRACKED_ADDRESSES);
    assertEquals(DhtConfig.DEFAULT_RATE_LIMIT_BURST, drain(limiter, addr(1), T0));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.NaN, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.POSITIVE_INFINITY, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, 1, 0));
  }
}
