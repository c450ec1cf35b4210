package org.dialtone.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmarks' one SVG plotter: a title over a row of panels, each with linear or logarithmic axes, on which a
 * caller draws lines, bars with whiskers, markers and dashed reference lines in data coordinates, with a legend and
 * category labels under the x axis. Hand-written SVG (a few rectangles, lines and polylines), no plotting library.
 */
public final class SvgChart {
  /** Series colours, in order. */
  public static final List<String> COLORS = List.of(
      "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");
  private static final int TITLE_H = 36;
  private static final int PANEL_TITLE_H = 36;
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int LEGEND_ROW = 16;

  private final String title;
  private final int panelWidth;
  private final int panelHeight;
  private final List<Panel> panels = new ArrayList<>();

  /** A chart whose panels are each {@code panelWidth} by {@code panelHeight} pixels, legend included. */
  public SvgChart(String title, int panelWidth, int panelHeight) {
    this.title = title;
    this.panelWidth = panelWidth;
    this.panelHeight = panelHeight;
  }

  /** The {@code i}-th series colour (cycling). */
  public static String color(int i) {
    return COLORS.get(Math.floorMod(i, COLORS.size()));
  }

  /**
   * One axis.
   *
   * @param lo lowest value shown (positive on a log axis)
   * @param hi highest value shown
   * @param log logarithmic (ticks at powers of ten) rather than linear
   * @param label what the axis measures, or empty
   * @param step distance between linear ticks, or 0 for five divisions
   * @param unit appended to each tick label (e.g. "%"), or empty
   */
  public record Axis(double lo, double hi, boolean log, String label, double step, String unit) {
    public Axis {
      if (!(hi > lo) || log && lo <= 0) {
        throw new IllegalArgumentException("bad axis range " + lo + ".." + hi + (log ? " (log)" : ""));
      }
    }

    /** A linear axis with five divisions. */
    public static Axis linear(double lo, double hi, String label) {
      return new Axis(lo, hi, false, label, 0, "");
    }

    /** A logarithmic axis widened to whole decades around {@code lo..hi}. */
    public static Axis logDecades(double lo, double hi, String label) {
      double min = Math.pow(10, Math.floor(Math.log10(lo)));
      double max = Math.pow(10, Math.ceil(Math.log10(hi)));
      return new Axis(min, max > min ? max : min * 10, true, label, 0, "");
    }

    /** This axis with linear ticks every {@code step}. */
    public Axis ticksEvery(double step) {
      return new Axis(lo, hi, log, label, step, unit);
    }

    /** This axis with {@code unit} after each tick label. */
    public Axis unit(String unit) {
      return new Axis(lo, hi, log, label, step, unit);
    }

    double fraction(double v) {
      double c = Math.max(lo, Math.min(hi, v));
      return log ? (Math.log10(c) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (c - lo) / (hi - lo);
    }

    List<Double> ticks() {
      List<Double> t = new ArrayList<>();
      if (log) {
        for (double d = Math.pow(10, Math.ceil(Math.log10(lo) - 1e-9)); d <= hi * (1 + 1e-9); d *= 10) {
          t.add(d);
        }
      } else if (step > 0) {
        for (double v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9; v += step) {
          t.add(v + 0.0); // + 0.0: no "-0" label
        }
      } else {
        for (int i = 0; i <= 5; i++) {
          t.add(lo + (hi - lo) * i / 5);
        }
      }
      return t;
    }

    String tickLabel(double v) {
      String s;
      if (step > 0 && !log) {
        int decimals = step >= 1 ? 0 : step >= 0.5 ? 1 : 2;
        s = String.format(Locale.ROOT, "%." + decimals + "f", v);
      } else if (Math.abs(v) >= 1 && v == Math.rint(v)) {
        s = String.format(Locale.ROOT, "%.0f", v);
      } else {
        s = String.format(Locale.ROOT, "%.2g", v);
      }
      return s + unit;
    }
  }

  /** Adds a panel to the right of the others and returns it for drawing. */
  public Panel panel(String panelTitle, Axis x, Axis y) {
    Panel p = new Panel(panelTitle, x, y);
    panels.add(p);
    return p;
  }

  /** One plot area with its axes; every coordinate given to it is in data units. */
  public final class Panel {
    private final String panelTitle;
    private final Axis x;
    private final Axis y;
    private final List<Mark> marks = new ArrayList<>();
    private final List<String[]> categories = new ArrayList<>();
    private final List<String[]> legend = new ArrayList<>();

    private Panel(String panelTitle, Axis x, Axis y) {
      this.panelTitle = panelTitle;
      this.x = x;
      this.y = y;
    }

    /** A polyline through {@code points} ({x, y} pairs), with a legend entry unless {@code name} is empty. */
    public Panel line(String name, String color, List<double[]> points, boolean markers) {
      List<double[]> copy = List.copyOf(points);
      marks.add(g -> {
        if (copy.isEmpty()) {
          return;
        }
        StringBuilder pts = new StringBuilder();
        for (double[] p : copy) {
          pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", g.px(p[0]), g.py(p[1])));
        }
        g.out.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\""
            + " points=\"%s\"/>%n", color, pts.toString().trim()));
        if (markers) {
          for (double[] p : copy) {
            g.out.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n",
                g.px(p[0]), g.py(p[1]), color));
          }
        }
      });
      if (!name.isEmpty()) {
        legend.add(new String[] {name, color, ""});
      }
      return this;
    }

    /** A bar from the x axis's baseline up to {@code value}, centred on {@code cx}, with an optional value label. */
    public Panel bar(double cx, double width, double value, String color, String valueLabel) {
      marks.add(g -> {
        double left = g.px(cx - width / 2);
        double top = g.py(value);
        g.out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
            + " fill=\"%s\" fill-opacity=\"0.85\"/>%n", left, top, g.px(cx + width / 2) - left, g.bottom - top,
            color));
        if (!valueLabel.isEmpty()) {
          g.text(g.px(cx), top - 3, valueLabel, "middle", 9, "normal");
        }
      });
      return this;
    }

    /** A vertical whisker at {@code cx} from {@code from} to {@code to}, capped at {@code to}. */
    public Panel whisker(double cx, double from, double to, double capWidth) {
      marks.add(g -> {
        g.segment(g.px(cx), g.py(from), g.px(cx), g.py(to), "black", "1", "");
        g.segment(g.px(cx - capWidth / 2), g.py(to), g.px(cx + capWidth / 2), g.py(to), "black", "1", "");
      });
      return this;
    }

    /** A hollow round marker at ({@code cx}, {@code cy}). */
    public Panel dot(double cx, double cy) {
      marks.add(g -> g.out.append(String.format(Locale.ROOT,
          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"white\" stroke=\"black\"/>%n", g.px(cx), g.py(cy))));
      return this;
    }

    /** A dashed horizontal line at {@code value} from {@code x1} to {@code x2} (data units). */
    public Panel dashed(double x1, double x2, double value, String color, String dash) {
      marks.add(g -> g.segment(g.px(x1), g.py(value), g.px(x2), g.py(value), color, "2", dash));
      return this;
    }

    /** A dashed horizontal line across the panel at {@code value}, shown only if on the axis. */
    public Panel reference(double value, String color, String dash) {
      if (value >= y.lo() && value <= y.hi()) {
        dashed(x.lo(), x.hi(), value, color, dash);
      }
      return this;
    }

    /** A legend entry: a line in {@code color}, dashed with {@code dash} unless empty ("dot" for a marker). */
    public Panel legend(String name, String color, String dash) {
      legend.add(new String[] {name, color, dash});
      return this;
    }

    /** Labels under the x axis at {@code cx}, one per line (category names under bars). */
    public Panel category(double cx, String... lines) {
      String[] entry = new String[lines.length + 1];
      entry[0] = Double.toString(cx);
      System.arraycopy(lines, 0, entry, 1, lines.length);
      categories.add(entry);
      return this;
    }

    private void render(StringBuilder out, int x0) {
      int legendH = legend.size() * LEGEND_ROW;
      Geometry g = new Geometry(out, x, y, x0 + LEFT, x0 + panelWidth - RIGHT, TITLE_H + PANEL_TITLE_H,
          TITLE_H + panelHeight - 58 - legendH);
      g.text((g.left + g.right) / 2.0, TITLE_H + 16, panelTitle, "middle", 12, "bold");
      for (double v : y.ticks()) {
        double py = g.py(v);
        g.segment(g.left, py, g.right, py, "#ddd", "1", "");
        g.text(g.left - 5, py + 4, y.tickLabel(v), "end", 10, "normal");
      }
      boolean categorical = !categories.isEmpty();
      if (!categorical) {
        for (double v : x.ticks()) {
          double px = g.px(v);
          g.segment(px, g.top, px, g.bottom, "#ddd", "1", "");
          g.text(px, g.bottom + 14, x.tickLabel(v), "middle", 10, "normal");
        }
      }
      for (String[] c : categories) {
        double px = g.px(Double.parseDouble(c[0]));
        for (int i = 1; i < c.length; i++) {
          g.text(px, g.bottom + 2 + 12 * i, c[i], "middle", 9, "normal");
        }
      }
      out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\""
          + " stroke=\"#333\"/>%n", g.left, g.top, g.right - g.left, g.bottom - g.top));
      if (!x.label().isEmpty()) {
        g.text((g.left + g.right) / 2.0, g.bottom + 42, x.label(), "middle", 10, "normal");
      }
      if (!y.label().isEmpty()) {
        double cy = (g.top + g.bottom) / 2.0;
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\""
            + " transform=\"rotate(-90 %d %.1f)\">%s</text>%n", x0 + 14, cy, x0 + 14, cy, esc(y.label())));
      }
      for (Mark m : marks) {
        m.draw(g);
      }
      double ly = g.bottom + 58;
      for (String[] l : legend) {
        if (l[2].equals("dot")) {
          out.append(String.format(Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"white\" stroke=\"black\"/>%n", g.left + 12, ly));
        } else {
          g.segment(g.left + 4, ly, g.left + 22, ly, l[1], "2", l[2]);
        }
        g.text(g.left + 28, ly + 4, l[0], "start", 10, "normal");
        ly += LEGEND_ROW;
      }
    }
  }

  /** The whole chart as an SVG document. */
  public String render() {
    int width = panelWidth * Math.max(1, panels.size());
    int height = TITLE_H + panelHeight;
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
    out.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"24\" text-anchor=\"middle\" font-size=\"15\""
        + " font-weight=\"bold\">%s</text>%n", width / 2.0, esc(title)));
    for (int i = 0; i < panels.size(); i++) {
      panels.get(i).render(out, i * panelWidth);
    }
    return out.append("</svg>\n").toString();
  }

  /** Escapes text for SVG. */
  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @FunctionalInterface
  private interface Mark {
    void draw(Geometry g);
  }

  /** Data to pixels for one panel, and the drawing primitives. */
  private static final class Geometry {
    final StringBuilder out;
    final Axis x;
    final Axis y;
    final double left;
    final double right;
    final double top;
    final double bottom;

    Geometry(StringBuilder out, Axis x, Axis y, double left, double right, double top, double bottom) {
      this.out = out;
      this.x = x;
      this.y = y;
      this.left = left;
      this.right = right;
      this.top = top;
      this.bottom = bottom;
    }

    double px(double v) {
      return left + x.fraction(v) * (right - left);
    }

    double py(double v) {
      return bottom - y.fraction(v) * (bottom - top);
    }

    void segment(double x1, double y1, double x2, double y2, String color, String width, String dash) {
      out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
          + " stroke-width=\"%s\"%s/>%n", x1, y1, x2, y2, color, width,
          dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\""));
    }

    void text(double x, double y, String s, String anchor, int size, String weight) {
      out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\""
          + " font-weight=\"%s\">%s</text>%n", x, y, anchor, size, weight, esc(s)));
    }
  }
}
