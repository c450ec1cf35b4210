package org.dialtone.bench.peers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nearest-rank percentiles and the latency summary of SCENARIO.md §6. */
public final class Stats {
  private Stats() {}

  /** The nearest-rank {@code p}-th percentile of sorted {@code values}; NaN when empty. */
  public static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = Math.max(1, (int) Math.ceil(p / 100.0 * sorted.length));
    return sorted[Math.min(rank, sorted.length) - 1];
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
