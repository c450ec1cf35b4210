package org.dialtone.node.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of operation latencies by operation name (cumulative buckets, sum, count). Lock-free; the
 * set of operation names is fixed by the code that calls {@link #observe}, never by client input.
 */
public final class LatencyHistogram {
  /** Upper bounds in seconds. */
  static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

  private final String name;
  private final String help;
  private final Map<String, Series> series = new ConcurrentHashMap<>();

  public LatencyHistogram(String name, String help) {
    this.name = name;
    this.help = help;
  }

  /** Records one operation of {@code op} that took {@code nanos}. */
  public void observe(String op, long nanos) {
    series.computeIfAbsent(op, k -> new Series()).observe(nanos / 1e9);
  }

  /** Total observations of {@code op}. */
  public long count(String op) {
    Series s = series.get(op);
    return s == null ? 0 : s.count.sum();
  }

  void render(StringBuilder out) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" histogram\n");
    series.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      Series s = e.getValue();
      String op = e.getKey();
      long cumulative = 0;
      for (int i = 0; i < BOUNDS.length; i++) {
        cumulative += s.buckets.get(i);
        out.append(name).append("_bucket{op=\"").append(op).append("\",le=\"").append(fmt(BOUNDS[i])).append("\"} ")
            .append(cumulative).append('\n');
      }
      cumulative += s.buckets.get(BOUNDS.length);
      out.append(name).append("_bucket{op=\"").append(op).append("\",le=\"+Inf\"} ").append(cumulative).append('\n');
      out.append(name).append("_sum{op=\"").append(op).append("\"} ")
          .append(String.format(Locale.ROOT, "%.6f", s.sumMicros.sum() / 1e6)).append('\n');
      out.append(name).append("_count{op=\"").append(op).append("\"} ").append(s.count.sum()).append('\n');
    });
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
  }

  private static final class Series {
    final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length + 1);
    final LongAdder count = new LongAdder();
    final LongAdder sumMicros = new LongAdder();

    void observe(double seconds) {
      int i = 0;
      while (i < BOUNDS.length && seconds > BOUNDS[i]) {
        i++;
      }
      buckets.incrementAndGet(i);
      count.increment();
      sumMicros.add(Math.round(seconds * 1e6));
    }
  }
}
