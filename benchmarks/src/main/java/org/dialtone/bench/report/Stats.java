package org.dialtone.bench.report;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one percentile helper of the benchmarks: nearest-rank percentiles, the median, and the latency summary of
 * SCENARIO.md §6. Exact over the samples (a benchmark keeps at most some 10^5 of them), so a simulation's figures
 * are reproduced exactly from its seed.
 */
public final class Stats {
  private Stats() {}

  /** The nearest-rank {@code p}-th percentile (0..100) of sorted {@code values}; NaN when empty. */
  public static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = Math.max(1, (int) Math.ceil(p / 100.0 * sorted.length));
    return sorted[Math.min(rank, sorted.length) - 1];
  }

  /** The nearest-rank {@code p}-th percentile (0..100) of sorted {@code values}; 0 when empty. */
  public static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = Math.max(1, (int) Math.ceil(p / 100.0 * sorted.length));
    return sorted[Math.min(rank, sorted.length) - 1];
  }

  /** The median of {@code values} (NaNs ignored; the mean of the middle two for an even count); NaN when empty. */
  public static double median(double[] values) {
    double[] s = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (s.length == 0) {
      return Double.NaN;
    }
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** {count, p50, p95, p99, mean, max} of {@code values} in ms; nulls when there are none. */
  public static Map<String, Object> latency(List<Double> values) {
    double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", s.length);
    m.put("p50", round(percentile(s, 50)));
    m.put("p95", round(percentile(s, 95)));
    m.put("p99", round(percentile(s, 99)));
    m.put("mean", s.length == 0 ? null : round(Arrays.stream(s).average().orElse(Double.NaN)));
    m.put("max", s.length == 0 ? null : round(s[s.length - 1]));
    return m;
  }

  /** Rounded to 3 decimals; null for NaN. */
  public static Double round(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return null;
    }
    return Math.round(x * 1000.0) / 1000.0;
  }
}
