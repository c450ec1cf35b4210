package org.dialtone.bench.peers;

import static org.dialtone.bench.peers.RunMetrics.METRICS;
import static org.dialtone.bench.peers.RunMetrics.PINNED;
import static org.dialtone.bench.peers.RunMetrics.UNPINNED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The summary step: reads every {@code <impl>-n<N>-run<R>.json} in a results directory and writes
 * {@code summary.md} (one table across implementations per N, with the ratios Dialtone / best peer and the issue's
 * targets), {@code summary.json}, {@code lookup-cdf.svg} (sequential lookup latency CDF per implementation at the
 * largest N that all of them ran) and {@code lookup-vs-n.svg} (median sequential lookup latency against N).
 *
 * <p>Each figure is the median over the runs of that (implementation, N); with two runs that is their mean.
 *
 * <pre>java -cp ... org.dialtone.bench.peers.Summary [results-dir]</pre>
 *
 * <p>This class reads the runs and writes the files; {@link RunMetrics} holds the figures, their medians, ratios and
 * targets, {@link SummaryTables} the Markdown tables and {@link SummaryPlots} the SVG figures.
 */
public final class Summary {
  /** {@code <impl>-n<N>-run<R>.json} (unpinned) or {@code <impl>-n<N>-pinned-run<R>.json} (pinned to one core). */
  private static final Pattern FILE = Pattern.compile("(.+)-n(\\d+)(-pinned)?-run(\\d+)\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();

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
        byMode.computeIfAbsent(mode, k -> new TreeMap<>(RunMetrics.DIALTONE_FIRST))
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
      mediansByMode.put(mode.getKey(), RunMetrics.medians(mode.getValue()));
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
        SummaryTables.sideBySide(md, mediansByMode, n);
      }
      for (var mode : mediansByMode.entrySet()) {
        Map<String, Object> jsonMode = new LinkedHashMap<>();
        md.append("#### ").append(mode.getKey().equals(PINNED) ? "Pinned to one core" : "Unpinned (both cores)")
            .append("\n\n");
        SummaryTables.table(md, jsonMode, mode.getValue(), n, mode.getKey().equals(primary));
        jsonN.put(mode.getKey(), jsonMode);
      }
      jsonSizes.put(String.valueOf(n), jsonN);
    }
    json.put("ratiosAndTargetsOn", primary);
    json.put("sizes", jsonSizes);
    json.put("metrics", METRICS.stream().map(m -> m.key() + ": " + m.header()).toList());

    Map<String, Map<Integer, Map<String, Double>>> medians = mediansByMode.getOrDefault(primary, Map.of());
    // one CDF per N that every implementation ran (an N that only some ran gets one too when it is the only N)
    for (int n : sizes) {
      boolean all = !runs.isEmpty() && runs.values().stream().allMatch(byN -> byN.containsKey(n));
      if (all || sizes.size() == 1) {
        String file = "lookup-cdf-n" + n + ".svg";
        Files.writeString(dir.resolve(file), SummaryPlots.cdfSvg(runs, n));
        md.append("![sequential lookup latency CDF at N = ").append(n).append("](").append(file).append(")\n");
      }
    }
    Files.writeString(dir.resolve("lookup-vs-n.svg"), SummaryPlots.versusNSvg(medians, sizes));
    md.append("![median sequential lookup latency against N](lookup-vs-n.svg)\n");
    Files.writeString(dir.resolve("growth-vs-n.svg"), SummaryPlots.growthSvg(medians, sizes, primary));
    md.append("![formation time, CPU per op, RSS per node and the cost of one join against N](growth-vs-n.svg)\n");
    Files.writeString(dir.resolve("summary.md"), md.toString());
    JSON.enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("summary.json").toFile(), json);
    return md.toString();
  }
}
