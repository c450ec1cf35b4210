package org.dialtone.bench.capacity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dialtone.bench.capacity.LoadGenerator.Op;
import org.dialtone.bench.capacity.LoadGenerator.Step;

/**
 * What one node serves, against the ceiling of a bare UDP echo: for each target (echo, then node) and each request
 * type, offered rates rise step by step until the target saturates; the capacity is the highest rate served with
 * p99 at most 10 ms and at most 1% lost. The target runs in a child process on CPU 0 and the generator should run on
 * CPU 1 ({@code run-capacity.sh} pins both).
 *
 * <p>Usage: {@code CapacityBench [--out DIR] [--rates 1000,2000,...] [--ops find_node,find_value,store]
 * [--clients 1024] [--measure-ms 3000] [--no-pin]}
 */
public final class CapacityBench {
  /** The latency bound a served rate must keep. */
  static final double P99_BOUND_MILLIS = 10;
  /** The loss a served rate may have. */
  static final double LOSS_BOUND_PERCENT = 1;

  /** How a run is set up. */
  record Options(
      Path out,
      List<Integer> rates,
      List<Op> ops,
      int clients,
      long warmupMillis,
      long measureMillis,
      long drainMillis,
      boolean pin,
      int networkSize) {
    static Options parse(String... args) {
      Path out = Path.of("results");
      List<Integer> rates = List.of(1_000, 2_000, 5_000, 10_000, 20_000, 40_000, 60_000, 80_000, 120_000, 160_000);
      List<Op> ops = List.of(Op.FIND_NODE, Op.FIND_VALUE, Op.STORE);
      int clients = 1024;
      long measure = 3_000;
      boolean pin = true;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--out" -> out = Path.of(args[++i]);
          case "--rates" -> rates = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
          case "--ops" -> ops = Arrays.stream(args[++i].split(","))
              .map(s -> Op.valueOf(s.toUpperCase(Locale.ROOT))).toList();
          case "--clients" -> clients = Integer.parseInt(args[++i]);
          case "--measure-ms" -> measure = Long.parseLong(args[++i]);
          case "--no-pin" -> pin = false;
          default -> throw new IllegalArgumentException("unknown argument " + a);
        }
      }
      return new Options(out, rates, ops, clients, 500, measure, 500, pin, 64);
    }
  }

  /** One target's steps for one request type, and its capacity. */
  record Curve(String target, Op op, List<Step> steps, double capacityPerSecond) {}

  private CapacityBench() {}

  /** Runs the steps for {@code kind} against an already running {@code target}. */
  static List<Curve> measure(String kind, TargetHandle target, Options o) throws Exception {
    List<Curve> curves = new ArrayList<>();
    try (LoadGenerator gen = new LoadGenerator(new InetSocketAddress("127.0.0.1", target.port()), o.clients(), 1)) {
      gen.prepare(kind.equals("node"));
      for (Op op : o.ops()) { // warms the target's JIT (and the generator's) before anything is measured
        gen.run(op, o.rates().get(0), 0, o.warmupMillis() * 4, o.drainMillis(), target::stats);
      }
      for (Op op : o.ops()) {
        List<Step> steps = new ArrayList<>();
        for (int rate : o.rates()) {
          Step s = gen.run(op, rate, o.warmupMillis(), o.measureMillis(), o.drainMillis(), target::stats);
          steps.add(s);
          System.out.printf(Locale.ROOT, "%-5s %-10s offered %7d/s  served %9.0f/s  lost %5.1f%%  errors %6d  "
              + "p50 %7.3f ms  p99 %8.3f ms  cpu %6.1f us/req  alloc %7.0f B/req%n", kind, op, rate,
              s.servedPerSecond(), s.lossPercent(), s.errors(), s.p50Millis(), s.p99Millis(),
              s.targetCpuMicrosPerRequest(), s.targetBytesAllocatedPerRequest());
          if (s.lossPercent() > 20 || s.p99Millis() > 100) {
            break; // saturated: higher offers only queue
          }
        }
        curves.add(new Curve(kind, op, steps, capacity(steps)));
      }
    }
    return curves;
  }

  /** The highest rate served within the latency and loss bounds; 0 when none was. */
  static double capacity(List<Step> steps) {
    return steps.stream()
        .filter(s -> s.p99Millis() <= P99_BOUND_MILLIS && s.lossPercent() <= LOSS_BOUND_PERCENT)
        .mapToDouble(Step::servedPerSecond).max().orElse(0);
  }

  /** The markdown table: per request type, node and echo capacity and their ratio, cost per request. */
  static String table(List<Curve> curves, boolean pinned) {
    StringBuilder b = new StringBuilder();
    b.append("| request | node req/s (p99 <= 10 ms, loss <= 1%) | echo req/s | node / echo | node CPU us/req "
        + "| node alloc B/req |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (Op op : Op.values()) {
      Curve node = find(curves, "node", op);
      Curve echo = find(curves, "echo", op);
      if (node == null) {
        continue;
      }
      Step best = node.steps().stream().filter(s -> s.servedPerSecond() == node.capacityPerSecond()).findFirst()
          .orElse(node.steps().get(0));
      b.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %s | %.1f | %.0f |%n", op, node.capacityPerSecond(),
          echo == null ? "-" : String.format(Locale.ROOT, "%.0f", echo.capacityPerSecond()),
          echo == null || echo.capacityPerSecond() == 0 ? "-"
              : String.format(Locale.ROOT, "%.2f", node.capacityPerSecond() / echo.capacityPerSecond()),
          best.targetCpuMicrosPerRequest(), best.targetBytesAllocatedPerRequest()));
    }
    b.append(pinned ? "\nTarget pinned to CPU 0 (taskset), generator to CPU 1.\n"
        : "\nNot pinned: target and generator shared the machine's cores.\n");
    return b.toString();
  }

  private static Curve find(List<Curve> curves, String target, Op op) {
    return curves.stream().filter(c -> c.target().equals(target) && c.op() == op).findFirst().orElse(null);
  }

  /** Writes {@code capacity.json} and {@code capacity.md} to {@code dir}. */
  static void write(Path dir, List<Curve> curves, Options o, boolean pinned) throws Exception {
    Files.createDirectories(dir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("pinned", pinned);
    json.put("clients", o.clients());
    json.put("measureMillis", o.measureMillis());
    json.put("p99BoundMillis", P99_BOUND_MILLIS);
    json.put("lossBoundPercent", LOSS_BOUND_PERCENT);
    json.put("curves", curves);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("capacity.json").toFile(),
        json);
    Files.writeString(dir.resolve("capacity.md"), "# What one node serves\n\n" + table(curves, pinned));
  }

  /** Runs the echo, then the node, each in a child process. */
  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (RuntimeException e) {
      System.err.println("capacity: " + e.getMessage());
      System.exit(2);
      return;
    }
    boolean pinned = o.pin() && onlineCpus() >= 2 && onPath("taskset");
    if (o.pin() && !pinned) {
      System.err.println("capacity: not pinned (needs taskset and 2 CPUs)");
    }
    List<Curve> curves = new ArrayList<>();
    for (CapacityTarget.Kind kind : CapacityTarget.Kind.values()) {
      String name = kind.name().toLowerCase(Locale.ROOT);
      try (ChildTarget target = ChildTarget.start(kind, o.networkSize(), pinned ? 0 : -1)) {
        curves.addAll(measure(name, target, o));
      }
    }
    write(o.out(), curves, o, pinned);
    System.out.println();
    System.out.print(table(curves, pinned));
  }

  /** CPUs the machine has (not this process's affinity, which run-capacity.sh narrows to one). */
  private static long onlineCpus() throws java.io.IOException {
    try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("processor")).count();
    }
  }

  private static boolean onPath(String program) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }
}
