package org.dialtone.bench.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dialtone.bench.report.SvgChart;
import org.dialtone.bench.report.SvgChart.Axis;
import org.dialtone.bench.sim.ScenarioResult.Measured;

/**
 * The suite's figure, drawn with {@link SvgChart}: lookup success per scenario, hops per scenario against
 * log2(N/k) + 1 and log20(N), and the distribution of simulated lookup latency.
 */
final class SvgPlot {
  private static final int PANEL_W = 420;
  private static final int PANEL_H = 460;

  private SvgPlot() {}

  static String render(List<ScenarioResult> results, String title) {
    SvgChart chart = new SvgChart(title, PANEL_W, PANEL_H);
    success(chart, results);
    hops(chart, results);
    latencyCdf(chart, results);
    return chart.render();
  }

  private static void success(SvgChart chart, List<ScenarioResult> results) {
    double min = 100;
    for (ScenarioResult r : results) {
      min = Math.min(min, r.measured().successRate() * 100);
    }
    double lo = Math.max(0, Math.min(98, Math.floor(min) - 1));
    double span = 100 - lo;
    Axis y = Axis.linear(lo, 100, "").ticksEvery(span <= 2 ? 0.25 : span <= 5 ? 0.5 : span <= 20 ? 2 : 10)
        .unit("%");
    SvgChart.Panel p = chart.panel("Lookup success (first value found)", categories(results), y);
    for (int i = 0; i < results.size(); i++) {
      ScenarioResult r = results.get(i);
      double v = r.measured().successRate() * 100;
      p.bar(i + 0.5, 0.7, v, SvgChart.color(i), String.format(Locale.ROOT, "%.2f", v));
      label(p, i, r);
    }
    p.reference(99.9, "#d62728", "5,3").legend("goal 99.9% (10% loss)", "#d62728", "5,3");
    p.reference(99.0, "#9467bd", "5,3").legend("goal 99% (30% loss or churn)", "#9467bd", "5,3");
  }

  private static void hops(SvgChart chart, List<ScenarioResult> results) {
    double max = 0;
    for (ScenarioResult r : results) {
      max = Math.max(max, Math.max(r.measured().fullHops().p99(), Table.expectedHops(r.scenario().nodes(), 20)));
    }
    double hi = Math.ceil(max + 1);
    SvgChart.Panel p = chart.panel("Hops: full lookup p50 (bar), p99 (whisker)", categories(results),
        Axis.linear(0, hi, "").ticksEvery(hi <= 10 ? 1 : 2));
    for (int i = 0; i < results.size(); i++) {
      ScenarioResult r = results.get(i);
      Measured m = r.measured();
      double cx = i + 0.5;
      p.bar(cx, 0.6, m.fullHops().p50(), SvgChart.color(i), "");
      p.whisker(cx, m.fullHops().p50(), m.fullHops().p99(), 0.3);
      p.dot(cx, m.hops().p50());
      p.dashed(cx - 0.32, cx + 0.32, Table.expectedHops(r.scenario().nodes(), 20), "#d62728", "4,2");
      p.dashed(cx - 0.32, cx + 0.32, Math.log(r.scenario().nodes()) / Math.log(20), "#1f3f9f", "1,2");
      label(p, i, r);
    }
    p.legend("log2(N/k)+1", "#d62728", "4,2").legend("log20(N)", "#1f3f9f", "1,2")
        .legend("first-value p50", "black", "dot");
  }

  private static void latencyCdf(SvgChart chart, List<ScenarioResult> results) {
    double max = 0;
    for (ScenarioResult r : results) {
      max = Math.max(max, r.measured().latencyMillis().p99());
    }
    double step = max > 2000 ? 1000 : max > 1000 ? 500 : 250;
    double hi = Math.max(step, Math.ceil(max / step) * step);
    SvgChart.Panel p = chart.panel("Simulated latency of first-value lookups (CDF)",
        Axis.linear(0, hi, "ms (virtual time); p99 and below shown").ticksEvery(step),
        Axis.linear(0, 100, "").ticksEvery(20).unit("%"));
    for (int i = 0; i < results.size(); i++) {
      List<Double> cdf = results.get(i).measured().latencyCdfMillis();
      List<double[]> points = new ArrayList<>();
      for (int q = 0; q < cdf.size(); q++) {
        points.add(new double[] {Math.min(cdf.get(q), hi), q});
        if (cdf.get(q) > hi) {
          break;
        }
      }
      p.line(shortName(results.get(i)), SvgChart.color(i), points, false);
    }
  }

  private static Axis categories(List<ScenarioResult> results) {
    return Axis.linear(0, Math.max(1, results.size()), "");
  }

  private static void label(SvgChart.Panel p, int i, ScenarioResult r) {
    p.category(i + 0.5, nodes(r.scenario().nodes()), condition(r.scenario()));
  }

  private static String shortName(ScenarioResult r) {
    return nodes(r.scenario().nodes()) + " " + condition(r.scenario());
  }

  private static String nodes(int n) {
    return n % 1000 == 0 ? n / 1000 + "k" : String.valueOf(n);
  }

  private static String condition(SimScenario s) {
    String loss = Math.round(s.lossRate() * 100) + "%";
    return s.churnPerHour() > 0 ? loss + "+ch" + Math.round(s.churnPerHour() * 100) : loss;
  }
}
