package org.dialtone.bench.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.dialtone.bench.report.Stats;

/**
 * The figures the summary reads from each run's JSON (its columns, {@link #METRICS}), their medians over the runs of
 * an (implementation, N), the ratios Dialtone / best peer, and the targets on those ratios.
 */
final class RunMetrics {
  static final String DIALTONE = DialtoneScenario.IMPL;
  /** The mode of a run pinned to one core ({@code <impl>-n<N>-pinned-run<R>.json}). */
  static final String PINNED = "pinned";
  /** The mode of a run free to use every core ({@code <impl>-n<N>-run<R>.json}). */
  static final String UNPINNED = "unpinned";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunMetrics() {}

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
      new Metric("foundRate", "found", false, RunMetrics::foundRate, "%.1f%%"),
      new Metric("announceOkRate", "announced", false, RunMetrics::announceOkRate, "%.1f%%"),
      new Metric("msgsPerLookup", "msgs/lookup", true,
          r -> phase(r, "seq").at("/lookup/msgsPerOp").asDouble(Double.NaN), "%.1f"),
      new Metric("msgsPerAnnounce", "msgs/announce", true,
          r -> phase(r, "seq").at("/announce/msgsPerOp").asDouble(Double.NaN), "%.1f"),
      new Metric("cpuMsPerOp", "cpu ms/op", true, RunMetrics::cpuPerOp, "%.2f"),
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

  /** Dialtone first, then the peers by name. */
  static final Comparator<String> DIALTONE_FIRST =
      Comparator.comparingInt((String impl) -> impl.equals(DIALTONE) ? 0 : 1).thenComparing(Comparator.naturalOrder());

  /** The column named {@code key}. */
  static Metric metric(String key) {
    return METRICS.stream().filter(m -> m.key.equals(key)).findFirst().orElseThrow();
  }

  /** impl -> N -> metric -> median over the runs (and "runs": how many). */
  static Map<String, Map<Integer, Map<String, Double>>> medians(Map<String, TreeMap<Integer, List<JsonNode>>> runs) {
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

  /** The phase of {@code run} with that mode ({@code seq}, {@code conc16}), or a missing node. */
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
    return overPhases(r, 100, List.of("/lookup/found"), List.of("/lookup/ops"));
  }

  private static double announceOkRate(JsonNode r) {
    return overPhases(r, 100, List.of("/announce/ok"), List.of("/announce/ops"));
  }

  private static double cpuPerOp(JsonNode r) {
    return overPhases(r, 1, List.of("/announce/cpu", "/lookup/cpu"), List.of("/announce/ops", "/lookup/ops"));
  }

  /** {@code scale} x the {@code counts} summed over the run's phases / the {@code ops} summed; NaN without ops. */
  private static double overPhases(JsonNode r, double scale, List<String> counts, List<String> ops) {
    double count = 0;
    double total = 0;
    for (JsonNode p : r.path("phases")) {
      count += sum(p, counts);
      total += sum(p, ops);
    }
    return total == 0 ? Double.NaN : scale * count / total;
  }

  private static double sum(JsonNode phase, List<String> paths) {
    double sum = 0;
    for (String path : paths) {
      sum += phase.at(path).asDouble();
    }
    return sum;
  }

  /** Metric -> Dialtone / best peer at N = {@code n} (the lowest, or highest where more is better), 3 decimals. */
  static Map<String, Double> ratios(Map<String, Map<Integer, Map<String, Double>>> medians, int n) {
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
}
