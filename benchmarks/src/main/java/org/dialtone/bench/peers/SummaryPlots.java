package org.dialtone.bench.peers;

import static org.dialtone.bench.peers.RunMetrics.DIALTONE;
import static org.dialtone.bench.peers.RunMetrics.metric;
import static org.dialtone.bench.peers.RunMetrics.phase;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.dialtone.bench.report.SvgChart;

/** The summary's figures ({@link SvgChart}): the lookup latency CDF, latency against N, and how cost grows with N. */
final class SummaryPlots {
  private SummaryPlots() {}

  private static final int PLOT_W = 720;
  private static final int PLOT_H = 480;

  /** Log-x CDF of the sequential lookups' found latency, all runs of each implementation at N = {@code n}. */
  static String cdfSvg(Map<String, TreeMap<Integer, List<JsonNode>>> runs, int n) {
    Map<String, double[]> samples = new LinkedHashMap<>();
    for (var e : runs.entrySet()) {
      List<JsonNode> atN = e.getValue().get(n);
      if (atN == null) {
        continue;
      }
      List<Double> all = new ArrayList<>();
      for (JsonNode run : atN) {
        phase(run, "seq").at("/lookup/foundSamplesMs").forEach(x -> all.add(x.asDouble()));
      }
      samples.put(e.getKey(), all.stream().mapToDouble(Double::doubleValue).filter(x -> x > 0).sorted().toArray());
    }
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (double[] s : samples.values()) {
      if (s.length > 0) {
        lo = Math.min(lo, s[0]);
        hi = Math.max(hi, s[s.length - 1]);
      }
    }
    if (hi == 0) {
      lo = 0.1;
      hi = 10;
    }
    SvgChart chart = new SvgChart("Sequential lookup latency (time to first hit), N = " + n, PLOT_W, PLOT_H);
    SvgChart.Panel p = chart.panel("", SvgChart.Axis.logDecades(lo, hi, "latency, ms (log)"),
        SvgChart.Axis.linear(0, 1, "fraction of lookups"));
    int c = 0;
    for (var e : samples.entrySet()) {
      double[] s = e.getValue();
      List<double[]> pts = new ArrayList<>();
      for (int i = 0; i < s.length; i++) {
        pts.add(new double[] {s[i], i / (double) s.length});
        pts.add(new double[] {s[i], (i + 1) / (double) s.length});
      }
      p.line(e.getKey() + " (" + s.length + " lookups)", color(e.getKey(), c++), pts, false);
    }
    return chart.render();
  }

  /** Median sequential lookup latency against N, log-log, one line per implementation. */
  static String versusNSvg(Map<String, Map<Integer, Map<String, Double>>> medians, TreeSet<Integer> sizes) {
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (var byN : medians.values()) {
      for (var v : byN.values()) {
        double x = v.get("lookupP50SeqMs");
        if (x > 0) {
          lo = Math.min(lo, x);
          hi = Math.max(hi, x);
        }
      }
    }
    if (hi == 0) {
      lo = 0.1;
      hi = 10;
    }
    double xmin = sizes.isEmpty() ? 10 : sizes.first() / 1.5;
    double xmax = sizes.isEmpty() ? 1000 : sizes.last() * 1.5;
    SvgChart chart = new SvgChart("Median sequential lookup latency vs N", PLOT_W, PLOT_H);
    SvgChart.Panel p = chart.panel("", new SvgChart.Axis(xmin, xmax, true, "N, nodes (log)", 0, ""),
        SvgChart.Axis.logDecades(lo, hi, "latency, ms (log)"));
    int c = 0;
    for (var e : medians.entrySet()) {
      List<double[]> pts = new ArrayList<>();
      for (var v : e.getValue().entrySet()) {
        double y = v.getValue().get("lookupP50SeqMs");
        if (y > 0) {
          pts.add(new double[] {v.getKey(), y});
        }
      }
      p.line(e.getKey(), color(e.getKey(), c++), pts, true);
    }
    return chart.render();
  }

  /**
   * How cost grows with N, log-log, one line per implementation: formation time, CPU per op, RSS per node and the
   * time for one more node to join.
   */
  static String growthSvg(Map<String, Map<Integer, Map<String, Double>>> medians, TreeSet<Integer> sizes,
      String mode) {
    double xmin = sizes.isEmpty() ? 10 : sizes.first() / 1.5;
    double xmax = sizes.isEmpty() ? 1000 : sizes.last() * 1.5;
    SvgChart chart = new SvgChart("How cost grows with N (" + mode + ")", 480, 320);
    String[][] panels = {{"formationMs", "formation, ms (log)"}, {"cpuMsPerOp", "CPU per op, ms (log)"},
        {"rssPerNodeKiB", "RSS per node, KiB (log)"}, {"joinMs", "one more node joins, ms (log)"}};
    for (String[] panel : panels) {
      double lo = Double.MAX_VALUE;
      double hi = 0;
      for (var byN : medians.values()) {
        for (var v : byN.values()) {
          Double y = v.get(panel[0]);
          if (y != null && y > 0) {
            lo = Math.min(lo, y);
            hi = Math.max(hi, y);
          }
        }
      }
      if (hi == 0) {
        lo = 0.1;
        hi = 10;
      }
      SvgChart.Panel p = chart.panel(metric(panel[0]).header(),
          new SvgChart.Axis(xmin, xmax, true, "N, nodes (log)", 0, ""), SvgChart.Axis.logDecades(lo, hi, panel[1]));
      int c = 0;
      for (var e : medians.entrySet()) {
        List<double[]> pts = new ArrayList<>();
        for (var v : e.getValue().entrySet()) {
          Double y = v.getValue().get(panel[0]);
          if (y != null && y > 0) {
            pts.add(new double[] {v.getKey(), y});
          }
        }
        p.line(e.getKey(), color(e.getKey(), c++), pts, true);
      }
    }
    return chart.render();
  }

  /** Dialtone in red on every plot, the others in the chart's colours. */
  private static String color(String impl, int index) {
    return impl.equals(DIALTONE) ? "#d62728" : SvgChart.color(index);
  }
}
