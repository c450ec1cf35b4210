package org.dialtone.dht.time;

/**
 * Where the DHT reads the time. Protocol code never calls {@code System.currentTimeMillis()} or
 * {@code System.nanoTime()}; it asks a clock, so that simulations run on virtual time.
 */
public interface Clock {
  /** Wall-clock time in milliseconds since the Unix epoch; record expiry is measured on it. */
  long epochMillis();

  /** A monotonic time in nanoseconds with an arbitrary origin; elapsed times and timeouts are measured on it. */
  long nanoTime();

  /** Monotonic time in milliseconds (nanoTime / 10^6). */
  default long monotonicMillis() {
    return nanoTime() / 1_000_000L;
  }

  /** The system clock. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
