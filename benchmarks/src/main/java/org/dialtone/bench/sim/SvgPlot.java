package org.dialtone.bench.sim;

import java.util.List;
import java.util.Locale;
import org.dialtone.bench.sim.ScenarioResult.Measured;

/**
 * A hand-written SVG of the suite: lookup success per scenario, hops per scenario against log2(N/k) + 1, and the
 * distribution of simulated lookup latency. No plotting library: a few rectangles, lines and polylines.
 */
final class SvgPlot {
  private static final String[] COLORS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  private static final int PANEL_W = 420;
  private static final int PANEL_H = 380;
  private static final int TOP = 60;
  private static final int LEFT = 55;
  private static final int PLOT_W = PANEL_W - LEFT - 20;
  private static final int PLOT_H = PANEL_H - 110;

  private SvgPlot() {}

  static String render(List<ScenarioResult> results, String title) {
    int width = PANEL_W * 3;
    int height = TOP + PANEL_H;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
            + " font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
    sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    text(sb, width / 2.0, 24, title, "middle", 15, "bold");
    success(sb, results, 0);
    hops(sb, results, PANEL_W);
    latencyCdf(sb, results, 2 * PANEL_W);
    return sb.append("</svg>\n").toString();
  }

  private static void success(StringBuilder sb, List<ScenarioResult> results, int x0) {
    double min = 100;
    for (ScenarioResult r : results) {
      min = Math.min(min, r.measured().successRate() * 100);
    }
    double lo = Math.max(0, Math.min(98, Math.floor(min) - 1));
    Axis y = new Axis(lo, 100);
    panelTitle(sb, x0, "Lookup success (first value found)");
    double span = y.hi - y.lo;
    yAxis(sb, x0, y, "%", span <= 2 ? 0.25 : span <= 5 ? 0.5 : span <= 20 ? 2 : 10);
    double slot = (double) PLOT_W / results.size();
    for (int i = 0; i < results.size(); i++) {
      ScenarioResult r = results.get(i);
      double v = r.measured().successRate() * 100;
      double x = x0 + LEFT + slot * i + slot * 0.15;
      double top = yPos(y, v);
      sb.append(String.format(Locale.ROOT,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
          x, top, slot * 0.7, TOP + 40 + PLOT_H - top, COLORS[i % COLORS.length]));
      text(sb, x + slot * 0.35, top - 3, String.format(Locale.ROOT, "%.2f", v), "middle", 9, "normal");
      categoryLabel(sb, x + slot * 0.35, r);
    }
    goal(sb, x0, y, 99.9, "#d62728", "goal 99.9% (10% loss)", 0);
    goal(sb, x0, y, 99.0, "#9467bd", "goal 99% (30% loss or churn)", 1);
  }

  private static void hops(StringBuilder sb, List<ScenarioResult> results, int x0) {
    double max = 0;
    for (ScenarioResult r : results) {
      max = Math.max(max, Math.max(r.measured().fullHops().p99(), Table.expectedHops(r.scenario().nodes(), 20)));
    }
    Axis y = new Axis(0, Math.ceil(max + 1));
    panelTitle(sb, x0, "Hops: full lookup p50 (bar), p99 (whisker)");
    yAxis(sb, x0, y, "", (int) y.hi <= 10 ? 1 : 2);
    double slot = (double) PLOT_W / results.size();
    for (int i = 0; i < results.size(); i++) {
      ScenarioResult r = results.get(i);
      Measured m = r.measured();
      double x = x0 + LEFT + slot * i + slot * 0.2;
      double w = slot * 0.6;
      double top = yPos(y, m.fullHops().p50());
      sb.append(String.format(Locale.ROOT,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.8\"/>%n",
          x, top, w, TOP + 40 + PLOT_H - top, COLORS[i % COLORS.length]));
      double cx = x + w / 2;
      double p99 = yPos(y, m.fullHops().p99());
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>%n",
          cx, top, cx, p99));
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>%n",
          cx - w / 4, p99, cx + w / 4, p99));
      double first = yPos(y, m.hops().p50());
      sb.append(String.format(Locale.ROOT,
          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"white\" stroke=\"black\"/>%n", cx, first));
      double ref = yPos(y, Table.expectedHops(r.scenario().nodes(), 20));
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d62728\" stroke-width=\"2\""
              + " stroke-dasharray=\"4,2\"/>%n", x - 2, ref, x + w + 2, ref));
      double refK = yPos(y, Math.log(r.scenario().nodes()) / Math.log(20));
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1f3f9f\" stroke-width=\"2\""
              + " stroke-dasharray=\"1,2\"/>%n", x - 2, refK, x + w + 2, refK));
      categoryLabel(sb, cx, r);
    }
    double lx = x0 + LEFT + 4;
    double ly = TOP + 40 + PLOT_H + 48;
    sb.append(String.format(Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d62728\" stroke-width=\"2\""
            + " stroke-dasharray=\"4,2\"/>%n", lx, ly, lx + 16, ly));
    text(sb, lx + 20, ly + 4, "log2(N/k)+1", "start", 10, "normal");
    sb.append(String.format(Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1f3f9f\" stroke-width=\"2\""
            + " stroke-dasharray=\"1,2\"/>%n", lx + 100, ly, lx + 116, ly));
    text(sb, lx + 120, ly + 4, "log20(N)", "start", 10, "normal");
    sb.append(String.format(Locale.ROOT,
        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"white\" stroke=\"black\"/>%n", lx + 190, ly));
    text(sb, lx + 198, ly + 4, "first-value p50", "start", 10, "normal");
  }

  private static void latencyCdf(StringBuilder sb, List<ScenarioResult> results, int x0) {
    double max = 0;
    for (ScenarioResult r : results) {
      max = Math.max(max, r.measured().latencyMillis().p99());
    }
    double step = max > 2000 ? 1000 : max > 1000 ? 500 : 250;
    Axis x = new Axis(0, Math.max(step, Math.ceil(max / step) * step));
    Axis y = new Axis(0, 100);
    panelTitle(sb, x0, "Simulated latency of first-value lookups (CDF)");
    yAxis(sb, x0, y, "%", 20);
    double bottom = TOP + 40 + PLOT_H;
    for (double v = 0; v <= x.hi + 1e-9; v += step) {
      double px = x0 + LEFT + (v - x.lo) / (x.hi - x.lo) * PLOT_W;
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", px, TOP + 40.0, px, bottom));
      text(sb, px, bottom + 14, String.format(Locale.ROOT, "%.0f", v), "middle", 10, "normal");
    }
    text(sb, x0 + LEFT + PLOT_W / 2.0, bottom + 30, "ms (virtual time); p99 and below shown", "middle", 10,
        "normal");
    for (int i = 0; i < results.size(); i++) {
      List<Double> cdf = results.get(i).measured().latencyCdfMillis();
      StringBuilder points = new StringBuilder();
      for (int q = 0; q < cdf.size(); q++) {
        double ms = Math.min(cdf.get(q), x.hi);
        double px = x0 + LEFT + ms / x.hi * PLOT_W;
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, yPos(y, q)));
        if (cdf.get(q) > x.hi) {
          break;
        }
      }
      sb.append(String.format(Locale.ROOT,
          "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n", points.toString().trim(),
          COLORS[i % COLORS.length]));
      double ly = TOP + 40 + PLOT_H - 12 - (results.size() - 1 - i) * 14;
      double lx = x0 + LEFT + PLOT_W - 110;
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>%n",
          lx, ly, lx + 14, ly, COLORS[i % COLORS.length]));
      text(sb, lx + 18, ly + 4, shortName(results.get(i)), "start", 10, "normal");
    }
  }

  private record Axis(double lo, double hi) {}

  private static double yPos(Axis y, double v) {
    double clamped = Math.max(y.lo, Math.min(y.hi, v));
    return TOP + 40 + PLOT_H - (clamped - y.lo) / (y.hi - y.lo) * PLOT_H;
  }

  private static void panelTitle(StringBuilder sb, int x0, String title) {
    text(sb, x0 + LEFT + PLOT_W / 2.0, TOP + 20, title, "middle", 12, "bold");
  }

  private static void yAxis(StringBuilder sb, int x0, Axis y, String unit, double step) {
    step = Math.max(step, 1e-3);
    double left = x0 + LEFT;
    double bottom = TOP + 40 + PLOT_H;
    sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>%n",
        left, TOP + 40.0, left, bottom));
    sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>%n",
        left, bottom, left + PLOT_W, bottom));
    double first = Math.ceil(y.lo / step) * step;
    for (double v = first; v <= y.hi + 1e-9; v += step) {
      double py = yPos(y, v);
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
          left, py, left + PLOT_W, py));
      text(sb, left - 4, py + 4, String.format(Locale.ROOT, "%s%s", fmtAxis(v, step), unit), "end", 10, "normal");
    }
  }

  // A dashed line at the goal, and its legend entry under the category labels.
  private static void goal(StringBuilder sb, int x0, Axis y, double v, String color, String label, int row) {
    if (v >= y.lo) {
      double py = yPos(y, v);
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\""
              + " stroke-dasharray=\"5,3\"/>%n", x0 + LEFT + 0.0, py, x0 + LEFT + PLOT_W + 0.0, py, color));
    }
    double lx = x0 + LEFT + 10.0 + row * 190;
    double ly = TOP + 40 + PLOT_H + 48;
    sb.append(String.format(Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\""
            + " stroke-dasharray=\"5,3\"/>%n", lx, ly, lx + 18, ly, color));
    text(sb, lx + 22, ly + 4, label, "start", 10, "normal");
  }

  private static void categoryLabel(StringBuilder sb, double cx, ScenarioResult r) {
    double bottom = TOP + 40 + PLOT_H;
    text(sb, cx, bottom + 14, nodes(r.scenario().nodes()), "middle", 9, "normal");
    text(sb, cx, bottom + 26, condition(r.scenario()), "middle", 9, "normal");
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

  private static String fmtAxis(double v, double step) {
    int decimals = step >= 1 ? 0 : step >= 0.5 ? 1 : 2;
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static void text(StringBuilder sb, double x, double y, String s, String anchor, int size, String weight) {
    sb.append(String.format(Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n",
        x, y, anchor, size, weight, s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")));
  }
}
