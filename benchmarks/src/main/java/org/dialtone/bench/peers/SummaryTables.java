package org.dialtone.bench.peers;

import static org.dialtone.bench.peers.RunMetrics.DIALTONE;
import static org.dialtone.bench.peers.RunMetrics.METRICS;
import static org.dialtone.bench.peers.RunMetrics.PINNED;
import static org.dialtone.bench.peers.RunMetrics.SIDE_BY_SIDE;
import static org.dialtone.bench.peers.RunMetrics.TARGETS;
import static org.dialtone.bench.peers.RunMetrics.UNPINNED;
import static org.dialtone.bench.peers.RunMetrics.metric;
import static org.dialtone.bench.peers.RunMetrics.ratios;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.dialtone.bench.peers.RunMetrics.Metric;
import org.dialtone.bench.peers.RunMetrics.Target;

/** The summary's Markdown tables (and their JSON twins): every metric per N, pinned beside unpinned, the targets. */
final class SummaryTables {
  private SummaryTables() {}

  // The few figures that the core count changes most, pinned next to unpinned, with the pinned ratio.
  static void sideBySide(StringBuilder md, Map<String, Map<String, Map<Integer, Map<String, Double>>>> byMode,
      int n) {
    Map<String, Map<Integer, Map<String, Double>>> pinned = byMode.getOrDefault(PINNED, Map.of());
    Map<String, Map<Integer, Map<String, Double>>> unpinned = byMode.getOrDefault(UNPINNED, Map.of());
    md.append("Pinned / unpinned side by side:\n\n| impl |");
    for (String key : SIDE_BY_SIDE) {
      md.append(' ').append(metric(key).header()).append(" pinned | unpinned |");
    }
    md.append("\n|---|").append("---:|---:|".repeat(SIDE_BY_SIDE.size())).append('\n');
    TreeSet<String> impls = new TreeSet<>(RunMetrics.DIALTONE_FIRST);
    impls.addAll(pinned.keySet());
    impls.addAll(unpinned.keySet());
    for (String impl : impls) {
      Map<String, Double> p = pinned.getOrDefault(impl, Map.of()).get(n);
      Map<String, Double> u = unpinned.getOrDefault(impl, Map.of()).get(n);
      if (p == null && u == null) {
        continue;
      }
      md.append("| ").append(impl).append(" |");
      for (String key : SIDE_BY_SIDE) {
        Metric m = metric(key);
        md.append(' ').append(p == null ? "-" : fmt(m, p.get(key))).append(" | ")
            .append(u == null ? "-" : fmt(m, u.get(key))).append(" |");
      }
      md.append('\n');
    }
    Map<String, Double> rp = ratios(pinned, n);
    Map<String, Double> ru = ratios(unpinned, n);
    if (!rp.isEmpty() || !ru.isEmpty()) {
      md.append("| **Dialtone / best peer** |");
      for (String key : SIDE_BY_SIDE) {
        md.append(' ').append(ratio(rp.get(key))).append(" | ").append(ratio(ru.get(key))).append(" |");
      }
      md.append('\n');
    }
    md.append('\n');
  }

  private static String ratio(Double r) {
    return r == null ? "" : String.format(Locale.ROOT, "**%.2f**", r);
  }

  // One table of every metric at N = n, the ratios, and (when withTargets) the targets.
  static void table(StringBuilder md, Map<String, Object> jsonN,
      Map<String, Map<Integer, Map<String, Double>>> medians, int n, boolean withTargets) {
    md.append("| impl | runs |");
    for (Metric m : METRICS) {
      md.append(' ').append(m.header()).append(" |");
    }
    md.append("\n|---|---:|");
    md.append("---:|".repeat(METRICS.size())).append('\n');
    for (var e : medians.entrySet()) {
      Map<String, Double> v = e.getValue().get(n);
      if (v == null) {
        continue;
      }
      jsonN.put(e.getKey(), v);
      md.append("| ").append(e.getKey()).append(" | ").append(v.get("runs").intValue()).append(" |");
      for (Metric m : METRICS) {
        md.append(' ').append(fmt(m, v.get(m.key()))).append(" |");
      }
      md.append('\n');
    }
    Map<String, Double> ratios = ratios(medians, n);
    if (!ratios.isEmpty()) {
      md.append("| **Dialtone / best peer** | |");
      for (Metric m : METRICS) {
        Double r = ratios.get(m.key());
        md.append(' ').append(r == null ? "" : String.format(Locale.ROOT, "%.2f", r)).append(" |");
      }
      md.append('\n');
      jsonN.put("ratioDialtoneToBestPeer", ratios);
    }
    md.append('\n');
    if (!ratios.isEmpty() && withTargets) {
      md.append("Targets at N = ").append(n).append(n == 1000 ? " (the issue's)" : " (the issue sets them at N = 1000)")
          .append(":\n\n| target | ratio | met |\n|---|---:|:-:|\n");
      Map<String, Object> targets = new LinkedHashMap<>();
      Map<String, Double> dialtone = medians.get(DIALTONE).get(n);
      boolean found = dialtone.get("foundRate") >= 100 && dialtone.get("announceOkRate") >= 100;
      md.append("| lookups and announces found 100% | ")
          .append(String.format(Locale.ROOT, "%.1f%% / %.1f%%", dialtone.get("foundRate"),
              dialtone.get("announceOkRate")))
          .append(" | ").append(found ? "yes" : "no").append(" |\n");
      targets.put("found100", found);
      for (Target t : TARGETS) {
        Double r = ratios.get(t.metric());
        boolean met = r != null && (t.atMost() ? r <= t.limit() : r >= t.limit());
        md.append("| ").append(t.goal()).append(" | ")
            .append(r == null ? "n/a" : String.format(Locale.ROOT, "%.2f", r)).append(" | ")
            .append(met ? "yes" : "no").append(" |\n");
        targets.put(t.metric(), met);
      }
      md.append('\n');
      jsonN.put("targetsMet", targets);
    }
  }

  private static String fmt(Metric m, Double v) {
    return v == null || Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, m.fmt(), v);
  }
}
