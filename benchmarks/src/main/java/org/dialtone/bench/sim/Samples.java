package org.dialtone.bench.sim;

import java.util.Arrays;
import org.dialtone.bench.report.Stats;

/** A growable list of measurements (longs); its percentiles come from {@link Stats}. */
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
    return Stats.percentile(sorted(), q);
  }

  /** The percentiles 0, 1, ..., 100 of the values, for a distribution plot. */
  long[] percentiles() {
    long[] sorted = sorted();
    long[] out = new long[101];
    for (int q = 0; q <= 100; q++) {
      out[q] = Stats.percentile(sorted, q);
    }
    return out;
  }

  double mean() {
    return size == 0 ? 0 : Arrays.stream(values, 0, size).average().orElse(0);
  }

  private long[] sorted() {
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return sorted;
  }
}
