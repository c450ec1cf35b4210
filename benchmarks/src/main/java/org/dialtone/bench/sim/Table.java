package org.dialtone.bench.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dialtone.bench.sim.ScenarioResult.Measured;
import org.dialtone.bench.sim.ScenarioResult.Resources;

/** The results as a fixed-width text table and as a Markdown table. */
final class Table {
  private static final String[] HEADER = {
    "N", "loss", "churn/h", "lookups", "success", "hops p50/p99", "full hops p50/p99", "log2(N/k)+1 / log20(N)",
    "msgs p50/p99", "latency ms p50/p99", "wall s", "cpu s", "heap MB", "bytes/node"};

  private Table() {}

  static String text(List<ScenarioResult> results) {
    List<String[]> rows = rows(results);
    int[] width = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      for (int i = 0; i < row.length; i++) {
        sb.append(i == 0 ? "" : "  ").append(pad(row[i], width[i]));
      }
      sb.append('\n');
      if (r == 0) {
        for (int i = 0; i < row.length; i++) {
          sb.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  static String markdown(List<ScenarioResult> results) {
    List<String[]> rows = rows(results);
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      sb.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
      if (r == 0) {
        sb.append("|").append(" --- |".repeat(HEADER.length)).append('\n');
      }
    }
    return sb.toString();
  }

  private static List<String[]> rows(List<ScenarioResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (ScenarioResult r : results) {
      SimScenario s = r.scenario();
      Measured m = r.measured();
      Resources res = r.resources();
      rows.add(new String[] {
        String.format(Locale.ROOT, "%,d", s.nodes()),
        pct(s.lossRate(), 0),
        s.churnPerHour() == 0 ? "-" : pct(s.churnPerHour(), 0),
        String.valueOf(m.lookups()),
        pct(m.successRate(), 2) + " (" + m.found() + ")",
        num(m.hops().p50()) + " / " + num(m.hops().p99()),
        num(m.fullHops().p50()) + " / " + num(m.fullHops().p99()),
        String.format(Locale.ROOT, "%.1f / %.1f", expectedHops(s.nodes(), 20), Math.log(s.nodes()) / Math.log(20)),
        num(m.messages().p50()) + " / " + num(m.messages().p99()),
        num(m.latencyMillis().p50()) + " / " + num(m.latencyMillis().p99()),
        String.format(Locale.ROOT, "%.0f", res.totalSeconds()),
        String.format(Locale.ROOT, "%.0f", res.cpuSeconds()),
        String.valueOf(res.heapAfterRunBytes() >> 20),
        String.format(Locale.ROOT, "%,d", res.bytesPerNode())});
    }
    return rows;
  }

  /** log2(N/k) + 1: the hops of a plain Kademlia lookup that gains one bit per hop below the k-neighbourhood. */
  static double expectedHops(int n, int k) {
    return Math.log((double) n / k) / Math.log(2) + 1;
  }

  private static String pct(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f%%", v * 100);
  }

  private static String num(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }
}
