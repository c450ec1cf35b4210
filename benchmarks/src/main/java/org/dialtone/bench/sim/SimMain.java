package org.dialtone.bench.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the simulation suite, prints a table per scenario and for the whole suite, and writes
 * {@code sim-<scenario>.json} for each scenario plus {@code sim-<suite>.json}, {@code .svg} and {@code .md} for the
 * suite. Usage (see benchmarks/README-sim.md and benchmarks/run-sim.sh):
 *
 * <pre>
 * SimMain [--suite full|quick|10k|100k] [--only SUBSTRING] [--seed N] [--out DIR]
 * </pre>
 */
public final class SimMain {
  /** Lookups per scenario: with none failing, the success rate is above 99.94% with 95% confidence (3 / n). */
  static final int LOOKUPS = 5_000;

  private SimMain() {}

  /** The scenarios of a suite. */
  static List<SimScenario> suite(String name, long seed) {
    List<SimScenario> out = new ArrayList<>();
    switch (name) {
      case "quick" -> sizes(out, 2_000, 1_000, 1_000, 15, seed);
      case "10k" -> sizes(out, 10_000, 1_000, LOOKUPS, 60, seed);
      case "100k" -> large(out, seed);
      case "full" -> {
        sizes(out, 10_000, 1_000, LOOKUPS, 60, seed);
        large(out, seed);
      }
      default -> throw new IllegalArgumentException("unknown suite " + name + " (full, quick, 10k, 100k)");
    }
    return out;
  }

  /**
   * 100,000 nodes: the still network, then churn for 14 minutes only (the first bucket refreshes, at 15 minutes,
   * would cost ~10^7 datagrams per simulated minute). Once at 20%/hour, and once at the rate that replaces 20% of
   * the nodes within those 14 minutes, the turnover of a whole hour at 20%/hour.
   */
  private static void large(List<SimScenario> out, long seed) {
    sizes(out, 100_000, 1_000, LOOKUPS, 14, seed);
    out.add(SimScenario.of(100_000, 0.10, 0.20 * 60 / 14, 14, 1_000, LOOKUPS, seed));
  }

  // 0%, 10% and 30% loss on a still network (lookups over one minute), then 20%/hour churn with 10% loss.
  private static void sizes(List<SimScenario> out, int n, int records, int lookups, int churnMinutes, long seed) {
    for (double loss : new double[] {0, 0.10, 0.30}) {
      out.add(SimScenario.of(n, loss, 0, 1, records, lookups, seed));
    }
    out.add(SimScenario.of(n, 0.10, 0.20, churnMinutes, records, lookups, seed));
  }

  public static void main(String[] args) throws IOException {
    String suite = "full";
    String only = null;
    long seed = 1;
    Path out = Path.of("benchmarks", "results");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--suite" -> suite = args[++i];
        case "--only" -> only = args[++i];
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Files.createDirectories(out);
    ObjectNode environment = Json.environment(suite);
    System.out.printf(Locale.ROOT, "simulation suite %s, seed %d, max heap %d MB, %d cpus%n", suite, seed,
        Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
    List<ScenarioResult> results = new ArrayList<>();
    long t0 = System.nanoTime();
    for (SimScenario s : suite(suite, seed)) {
      if (only != null && !s.name().contains(only)) {
        continue;
      }
      System.out.printf(Locale.ROOT, "%n== %s: %,d nodes, %.0f%% loss, churn %.0f%%/hour, %d min, %d lookups%n",
          s.name(), s.nodes(), s.lossRate() * 100, s.churnPerHour() * 100, s.minutes(), s.lookups());
      ScenarioResult r = ScaleSimulation.run(s, System.out);
      results.add(r);
      System.out.print(Table.text(List.of(r)));
      write(out.resolve("sim-" + s.name() + ".json"), Json.suite(List.of(r), environment));
    }
    String name = only == null ? suite : suite + "-" + only;
    System.out.printf(Locale.ROOT, "%n== suite %s: %d scenarios in %.1f min%n", name, results.size(),
        (System.nanoTime() - t0) / 60e9);
    System.out.print(Table.text(results));
    write(out.resolve("sim-" + name + ".json"), Json.suite(results, environment));
    write(out.resolve("sim-" + name + ".md"), Table.markdown(results));
    write(out.resolve("sim-" + name + ".svg"), SvgPlot.render(results,
        "Dialtone DHT on the simulated network (k=20, alpha=3, 20-200 ms per link)"));
    System.out.println("wrote " + out.resolve("sim-" + name + ".{json,md,svg}"));
  }

  private static void write(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
