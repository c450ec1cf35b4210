package org.dialtone.bench.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dialtone.bench.report.Stats;
import org.dialtone.bench.report.SvgChart;

/**
 * The summary step: reads every {@code <impl>-n<N>-run<R>.json} in a results directory and writes
 * {@code summary.md} (one table across implementations per N, with the ratios Dialtone / best peer and the issue's
 * targets), {@code summary.json}, {@code lookup-cdf.svg} (sequential lookup latency CDF per implementation at the
 * largest N that all of them ran) and {@code lookup-vs-n.svg} (median sequential lookup latency against N).
 *
 * <p>Each figure is the median over the runs of that (implementation, N); with two runs that is their mean.
 *
 * <pre>java -cp ... org.dialtone.bench.peers.Summary [results-dir]</pre>
 */
public final class Summary {
  static final String DIALTONE = DialtoneScenario.IMPL;
  /** {@code <impl>-n<N>-run<R>.json} (unpinned) or {@code <impl>-n<N>-pinned-run<R>.json} (pinned to one core). */
  private static final Pattern FILE = Pattern.compile("(.+)-n(\\d+)(-pinned)?-run(\\d+)\\.json");
  static final String PINNED = "pinned";
  static final String UNPINNED = "unpinned";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One column of the table: how to get it from a run, and whether less is better. */
  record Metric(String key, String header, boolean lowerIsBetter, ToDoubleFunction<JsonNode> of, String fmt) {}

  static final List<Metric> METRICS = List.of(
      new Metric("formationMs", "formation ms", true, r -> r.at("/formation/ms").asDouble(), "%.0f"),
      new Metric("notReady", "notReady", true, r -> r.at("/formation/notReady").asDouble(), "%.0f"),
      new Metric("rssPerNodeKiB", "RSS/node KiB", true, r -> r.at("/formation/rssPerNodeKiB").asDouble(), "%.0f"),
      new Metric("routingTableP50", "table p50", false, r -> r.at("/formation/routingTableSize/p50").asDouble(),
          "%.0f"),
      new Metric("lookupP50SeqMs", "lookup p50 seq ms", true,
          r -> phase(r, "seq").at("/lookup/foundLatencyMs/p50").asDouble(Double.NaN), "%.2f"),
      new Metric("lookupDoneP50SeqMs", "lookup done p50 seq ms", true,
          r -> phase(r, "seq").at("/lookup/doneLatencyMs/p50").asDouble(Double.NaN), "%.2f"),
      new Metric("fullLookupP50SeqMs", "full lookup p50 seq ms", true,
          r -> fullLookup(r).at("/doneLatencyMs/p50").asDouble(Double.NaN), "%.2f"),
      new Metric("msgsPerFullLookup", "msgs/full lookup", true,
          r -> fullLookup(r).path("msgsPerOp").asDouble(Double.NaN), "%.1f"),
      new Metric("foundRate", "found", false, Summary::foundRate, "%.1f%%"),
      new Metric("announceOkRate", "announced", false, Summary::announceOkRate, "%.1f%%"),
      new Metric("msgsPerLookup", "msgs/lookup", true,
          r -> phase(r, "seq").at("/lookup/msgsPerOp").asDouble(Double.NaN), "%.1f"),
      new Metric("msgsPerAnnounce", "msgs/announce", true,
          r -> phase(r, "seq").at("/announce/msgsPerOp").asDouble(Double.NaN), "%.1f"),
      new Metric("cpuMsPerOp", "cpu ms/op", true, Summary::cpuPerOp, "%.2f"),
      new Metric("lookupsPerSecConc16", "lookups/s conc16", false,
          r -> phase(r, "conc16").at("/lookup/opsPerSec").asDouble(Double.NaN), "%.0f"),
      new Metric("announcesPerSecConc16", "announces/s conc16", false,
          r -> phase(r, "conc16").at("/announce/opsPerSec").asDouble(Double.NaN), "%.0f"),
      new Metric("announceP50SeqMs", "announce p50 seq ms", true,
          r -> phase(r, "seq").at("/announce/latencyMs/p50").asDouble(Double.NaN), "%.2f"),
      new Metric("formationCpuMs", "formation cpu ms", true, r -> r.at("/formation/cpu").asDouble(Double.NaN),
          "%.0f"),
      new Metric("proofsVerified", "formation proofs verified", true,
          r -> r.at("/formation/counters/PROOFS_VERIFIED").asDouble(Double.NaN), "%.0f"),
      new Metric("proofsSigned", "formation proofs signed", true,
          r -> r.at("/formation/counters/PROOFS_SIGNED").asDouble(Double.NaN), "%.0f"),
      new Metric("joinMs", "join one ms", true, r -> r.at("/joinOne/msP50").asDouble(Double.NaN), "%.1f"),
      new Metric("joinCpuMs", "join one cpu ms", true, r -> r.at("/joinOne/cpuP50").asDouble(Double.NaN), "%.1f"),
      new Metric("joinDatagrams", "join one datagrams", true,
          r -> r.at("/joinOne/datagramsP50").asDouble(Double.NaN), "%.0f"));

  /** The columns of the side-by-side table: pinned next to unpinned. */
  static final List<String> SIDE_BY_SIDE = List.of("formationMs", "formationCpuMs", "cpuMsPerOp",
      "lookupP50SeqMs", "lookupsPerSecConc16", "rssPerNodeKiB", "joinMs", "joinCpuMs");

  /** The targets at N = 1000, as limits on the ratio Dialtone / best peer. */
  record Target(String metric, String goal, double limit, boolean atMost) {}

  static final List<Target> TARGETS = List.of(
      new Target("cpuMsPerOp", "CPU per op <= 1/5 of best peer", 0.2, true),
      new Target("msgsPerLookup", "request msgs per lookup <= 2/3 of best peer", 2.0 / 3, true),
      new Target("lookupP50SeqMs", "median sequential lookup latency <= 1/2 of best peer", 0.5, true),
      new Target("lookupsPerSecConc16", "lookup throughput with 16 in flight >= 5x best peer", 5, false),
      new Target("rssPerNodeKiB", "RSS per node <= 1/2 of best peer", 0.5, true),
      new Target("formationMs", "formation time <= best peer's", 1, true));

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "results");
    String md = write(dir);
    System.out.println(md);
  }

  /** Reads the runs in {@code dir}, writes the summary files there and returns the Markdown. */
  public static String write(Path dir) throws IOException {
    // mode -> impl -> N -> runs
    Map<String, Map<String, TreeMap<Integer, List<JsonNode>>>> byMode = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        Matcher m = FILE.matcher(f.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        JsonNode run = JSON.readTree(f.toFile());
        String mode = m.group(3) == null ? UNPINNED : PINNED;
        byMode.computeIfAbsent(mode, k -> new TreeMap<>((a, b) -> order(a) - order(b) != 0
                ? order(a) - order(b) : a.compareTo(b)))
            .computeIfAbsent(m.group(1), k -> new TreeMap<>())
            .computeIfAbsent(Integer.parseInt(m.group(2)), k -> new ArrayList<>()).add(run);
      }
    }
    // the ratios and targets are read on the pinned runs when there are any
    String primary = byMode.containsKey(PINNED) ? PINNED : UNPINNED;
    Map<String, TreeMap<Integer, List<JsonNode>>> runs = byMode.getOrDefault(primary, new TreeMap<>());
    TreeSet<Integer> sizes = new TreeSet<>();
    byMode.values().forEach(m -> m.values().forEach(byN -> sizes.addAll(byN.keySet())));

    Map<String, Map<String, Map<Integer, Map<String, Double>>>> mediansByMode = new LinkedHashMap<>();
    for (var mode : byMode.entrySet()) {
      mediansByMode.put(mode.getKey(), medians(mode.getValue()));
    }

    StringBuilder md = new StringBuilder();
    md.append("Median over runs per (implementation, N). \"Pinned\": every implementation ran pinned to the same "
        + "single core (`taskset -c 1`: the JVM with its GC and JIT threads, or node's event loop with its helper "
        + "threads, on one core); \"unpinned\": free to use both cores. The ratios and targets are read on the "
        + (primary.equals(PINNED) ? "pinned" : "unpinned (no pinned runs found)") + " runs. Lookup latency is time "
        + "to the first result containing the announcer (\"found\"); msgs are request datagrams sent by the "
        + "initiating node (retransmissions included); \"full lookup\" runs to the k closest (Dialtone's extra "
        + "GetOptions.all() phase; the peers' lookups always do); cpu ms/op = process CPU of all announce and lookup "
        + "phases / ops; throughput with 16 in flight; \"join one\" = one more node joining the formed network "
        + "(median of 5 joins: time to ready, process CPU, datagrams sent by all nodes); formation proofs = challenge "
        + "signatures signed and verified by all nodes during formation (Dialtone only). Ratio = Dialtone / best "
        + "peer (the lowest value, or highest for table size, rates and throughput).\n\n");
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Object> jsonSizes = new LinkedHashMap<>();
    for (int n : sizes) {
      md.append("### N = ").append(n).append("\n\n");
      Map<String, Object> jsonN = new LinkedHashMap<>();
      if (byMode.size() > 1) {
        sideBySide(md, mediansByMode, n);
      }
      for (var mode : mediansByMode.entrySet()) {
        Map<String, Object> jsonMode = new LinkedHashMap<>();
        md.append("#### ").append(mode.getKey().equals(PINNED) ? "Pinned to one core" : "Unpinned (both cores)")
            .append("\n\n");
        table(md, jsonMode, mode.getValue(), n, mode.getKey().equals(primary));
        jsonN.put(mode.getKey(), jsonMode);
      }
      jsonSizes.put(String.valueOf(n), jsonN);
    }
    json.put("ratiosAndTargetsOn", primary);
    json.put("sizes", jsonSizes);
    json.put("metrics", METRICS.stream().map(m -> m.key + ": " + m.header).toList());

    Map<String, Map<Integer, Map<String, Double>>> medians = mediansByMode.getOrDefault(primary, Map.of());
    // one CDF per N that every implementation ran (an N that only some ran gets one too when it is the only N)
    for (int n : sizes) {
      boolean all = !runs.isEmpty() && runs.values().stream().allMatch(byN -> byN.containsKey(n));
      if (all || sizes.size() == 1) {
        String file = "lookup-cdf-n" + n + ".svg";
        Files.writeString(dir.resolve(file), cdfSvg(runs, n));
        md.append("![sequential lookup latency CDF at N = ").append(n).append("](").append(file).append(")\n");
      }
    }
    Files.writeString(dir.resolve("lookup-vs-n.svg"), versusNSvg(medians, sizes));
    md.append("![median sequential lookup latency against N](lookup-vs-n.svg)\n");
    Files.writeString(dir.resolve("growth-vs-n.svg"), growthSvg(medians, sizes, primary));
    md.append("![formation time, CPU per op, RSS per node and the cost of one join against N](growth-vs-n.svg)\n");
    Files.writeString(dir.resolve("summary.md"), md.toString());
    JSON.enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("summary.json").toFile(), json);
    return md.toString();
  }

  // impl -> N -> metric -> median over the runs
  private static Map<String, Map<Integer, Map<String, Double>>> medians(
      Map<String, TreeMap<Integer, List<JsonNode>>> runs) {
    Map<String, Map<Integer, Map<String, Double>>> medians = new LinkedHashMap<>();
    for (var e : runs.entrySet()) {
      for (var byN : e.getValue().entrySet()) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Metric m : METRICS) {
          values.put(m.key, Stats.median(byN.getValue().stream().mapToDouble(m.of).toArray()));
        }
        values.put("runs", (double) byN.getValue().size());
        medians.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).put(byN.getKey(), values);
      }
    }
    return medians;
  }

  // The few figures that the core count changes most, pinned next to unpinned, with the pinned ratio.
  private static void sideBySide(StringBuilder md, Map<String, Map<String, Map<Integer, Map<String, Double>>>> byMode,
      int n) {
    Map<String, Map<Integer, Map<String, Double>>> pinned = byMode.getOrDefault(PINNED, Map.of());
    Map<String, Map<Integer, Map<String, Double>>> unpinned = byMode.getOrDefault(UNPINNED, Map.of());
    md.append("Pinned / unpinned side by side:\n\n| impl |");
    for (String key : SIDE_BY_SIDE) {
      md.append(' ').append(metric(key).header).append(" pinned | unpinned |");
    }
    md.append("\n|---|").append("---:|---:|".repeat(SIDE_BY_SIDE.size())).append('\n');
    TreeSet<String> impls = new TreeSet<>((a, b) -> order(a) - order(b) != 0 ? order(a) - order(b) : a.compareTo(b));
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

  private static Metric metric(String key) {
    return METRICS.stream().filter(m -> m.key.equals(key)).findFirst().orElseThrow();
  }

  // One table of every metric at N = n, the ratios, and (when withTargets) the targets.
  private static void table(StringBuilder md, Map<String, Object> jsonN,
      Map<String, Map<Integer, Map<String, Double>>> medians, int n, boolean withTargets) {
    md.append("| impl | runs |");
    for (Metric m : METRICS) {
      md.append(' ').append(m.header).append(" |");
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
        md.append(' ').append(fmt(m, v.get(m.key))).append(" |");
      }
      md.append('\n');
    }
    Map<String, Double> ratios = ratios(medians, n);
    if (!ratios.isEmpty()) {
      md.append("| **Dialtone / best peer** | |");
      for (Metric m : METRICS) {
        Double r = ratios.get(m.key);
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
        Double r = ratios.get(t.metric);
        boolean met = r != null && (t.atMost ? r <= t.limit : r >= t.limit);
        md.append("| ").append(t.goal).append(" | ")
            .append(r == null ? "n/a" : String.format(Locale.ROOT, "%.2f", r)).append(" | ")
            .append(met ? "yes" : "no").append(" |\n");
        targets.put(t.metric, met);
      }
      md.append('\n');
      jsonN.put("targetsMet", targets);
    }
  }

  private static int order(String impl) {
    return impl.equals(DIALTONE) ? 0 : 1;
  }

  static JsonNode phase(JsonNode run, String mode) {
    for (JsonNode p : run.path("phases")) {
      if (mode.equals(p.path("mode").asText())) {
        return p;
      }
    }
    return JSON.missingNode();
  }

  /** The sequential full lookup to the k closest: Dialtone's extra lookupAll phase, the peers' lookup itself. */
  private static JsonNode fullLookup(JsonNode r) {
    JsonNode seq = phase(r, "seq");
    return seq.has("lookupAll") ? seq.path("lookupAll") : seq.path("lookup");
  }

  private static double foundRate(JsonNode r) {
    double found = 0;
    double ops = 0;
    for (JsonNode p : r.path("phases")) {
      found += p.at("/lookup/found").asDouble();
      ops += p.at("/lookup/ops").asDouble();
    }
    return ops == 0 ? Double.NaN : 100 * found / ops;
  }

  private static double announceOkRate(JsonNode r) {
    double ok = 0;
    double ops = 0;
    for (JsonNode p : r.path("phases")) {
      ok += p.at("/announce/ok").asDouble();
      ops += p.at("/announce/ops").asDouble();
    }
    return ops == 0 ? Double.NaN : 100 * ok / ops;
  }

  private static double cpuPerOp(JsonNode r) {
    double cpu = 0;
    double ops = 0;
    for (JsonNode p : r.path("phases")) {
      cpu += p.at("/announce/cpu").asDouble() + p.at("/lookup/cpu").asDouble();
      ops += p.at("/announce/ops").asDouble() + p.at("/lookup/ops").asDouble();
    }
    return ops == 0 ? Double.NaN : cpu / ops;
  }

  private static Map<String, Double> ratios(Map<String, Map<Integer, Map<String, Double>>> medians, int n) {
    Map<String, Double> out = new LinkedHashMap<>();
    Map<String, Double> mine = medians.getOrDefault(DIALTONE, Map.of()).get(n);
    if (mine == null) {
      return out;
    }
    for (Metric m : METRICS) {
      Double best = null;
      for (var e : medians.entrySet()) {
        if (e.getKey().equals(DIALTONE) || e.getValue().get(n) == null) {
          continue;
        }
        double v = e.getValue().get(n).get(m.key);
        if (Double.isNaN(v)) {
          continue;
        }
        if (best == null || (m.lowerIsBetter ? v < best : v > best)) {
          best = v;
        }
      }
      double v = mine.get(m.key);
      if (best != null && best != 0 && !Double.isNaN(v)) {
        out.put(m.key, Math.round(v / best * 1000) / 1000.0);
      }
    }
    return out;
  }

  private static String fmt(Metric m, Double v) {
    return v == null || Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, m.fmt, v);
  }

  // ---- plots (SvgChart) ----

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
      SvgChart.Panel p = chart.panel(metric(panel[0]).header,
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
