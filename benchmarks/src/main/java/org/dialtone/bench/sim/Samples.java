package org.dialtone.bench.sim;

import java.util.Arrays;

/** A growable list of measurements (longs) and its percentiles. */
final class Samples {
  private long[] values = new long[256];
  private int size;

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  int size() {
    return size;
  }

  /** The nearest-rank percentile {@code q} (0..100) of the values; 0 when there are none. */
  long percentile(double q) {
    if (size == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return sorted[rank(q, size)];
  }

  /** The percentiles 0, 1, ..., 100 of the values, for a distribution plot. */
  long[] percentiles() {
    long[] out = new long[101];
    if (size == 0) {
      return out;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    for (int q = 0; q <= 100; q++) {
      out[q] = sorted[rank(q, size)];
    }
    return out;
  }

  double mean() {
    if (size == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += values[i];
    }
    return sum / size;
  }

  private static int rank(double q, int n) {
    int r = (int) Math.ceil(q / 100.0 * n) - 1;
    return Math.max(0, Math.min(n - 1, r));
  }
}
