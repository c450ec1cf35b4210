package org.dialtone.bench.peers;

import static org.dialtone.bench.peers.ProcessMeasurements.cpuNanos;
import static org.dialtone.bench.peers.ProcessMeasurements.rssKiB;
import static org.dialtone.bench.peers.ProcessMeasurements.settle;
import static org.dialtone.bench.peers.ProcessMeasurements.usedHeap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dialtone.bench.report.NamedArgs;
import org.dialtone.bench.report.Stats;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.GetOptions;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;

/**
 * SCENARIO.md on Dialtone: N nodes in this JVM ({@link LoopbackNodes}: each on its own UDP socket
 * {@code 127.0.0.1:BASE+i}, one Vert.x instance); formation through node 0 with at most J joins at once
 * ({@link Formation}), 5 s idle, then announces and lookups with 1 and 16 in flight ({@link Phase}). Writes
 * {@code results/dialtone-n<N>-run<R>.json} in the §6 format.
 *
 * <p>Mapping: an announce is {@link DhtNode#put} of a record signed by node a under the op's 32-byte key (kind 1,
 * seq 1, an hour to live, a's port as a 2-byte payload); a lookup is {@link DhtNode#get(NodeId, GetOptions)} with
 * {@link GetOptions#first()}, which stops at the first valid record, so its done latency equals its found latency.
 * A third, extra sub-phase {@code lookupAll} repeats the lookups with {@link GetOptions#all()} (the full iterative
 * lookup to the k closest, like the peers' "done"); it is reported apart and not counted in cpu per op.
 *
 *
 * <p>The phases: formation here ({@link #form}), then idle, {@link JoinOne} (the cost of one more join) and
 * {@link OpPhases} (the announces and lookups); this class runs them in order and writes the result JSON.
 * <pre>java -cp ... org.dialtone.bench.peers.DialtoneScenario --n 1000 --run 1 [--m 200] [--out file]</pre>
 */
public final class DialtoneScenario {
  public static final String IMPL = "dialtone";
  public static final int DEFAULT_BASE = 32000;

  /** The knobs; the defaults are the scenario's. {@code base} 0 binds ephemeral ports (for tests). */
  public record Params(int n, int run, int seed, int m, int j, double idleSeconds, int base, long joinTimeoutSeconds,
      long opTimeoutSeconds, boolean lookupAll, Path out, Path jfrOps) {
    public static Params defaults(int n, int run) {
      return new Params(n, run, run, 200, 16, 5, DEFAULT_BASE, 60, 30, true,
          Path.of("results", IMPL + "-n" + n + "-run" + run + ".json"), null);
    }

    static Params parse(String[] args) {
      Map<String, String> a = NamedArgs.parse(args);
      int n = Integer.parseInt(a.getOrDefault("n", "100"));
      int run = Integer.parseInt(a.getOrDefault("run", "1"));
      Params d = defaults(n, run);
      return new Params(n, run,
          Integer.parseInt(a.getOrDefault("seed", String.valueOf(run))),
          Integer.parseInt(a.getOrDefault("m", String.valueOf(d.m))),
          Integer.parseInt(a.getOrDefault("j", String.valueOf(d.j))),
          Double.parseDouble(a.getOrDefault("idle", String.valueOf(d.idleSeconds))),
          Integer.parseInt(a.getOrDefault("base", String.valueOf(d.base))),
          Long.parseLong(a.getOrDefault("join-timeout", String.valueOf(d.joinTimeoutSeconds))),
          Long.parseLong(a.getOrDefault("op-timeout", String.valueOf(d.opTimeoutSeconds))),
          Boolean.parseBoolean(a.getOrDefault("lookup-all", "true")),
          Path.of(a.getOrDefault("out", d.out.toString())),
          a.containsKey("jfr-ops") ? Path.of(a.get("jfr-ops")) : null);
    }

    /** The {@code params} object of the result JSON. */
    Map<String, Object> toJson() {
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("n", n);
      params.put("j", j);
      params.put("m", m);
      params.put("run", run);
      params.put("seed", seed);
      params.put("keyLen", NodeId.BYTES);
      params.put("base", base);
      params.put("idleSeconds", idleSeconds);
      params.put("joinTimeoutSeconds", joinTimeoutSeconds);
      params.put("opTimeoutSeconds", opTimeoutSeconds);
      return params;
    }
  }

  private final Params p;
  private LoopbackNodes nodes;

  private DialtoneScenario(Params p) {
    this.p = p;
  }

  public static void main(String[] args) throws Exception {
    org.dialtone.dht.transport.NettyBuffers.preferPooled(); // as the node's Main does
    Params p = Params.parse(args);
    Thread hard = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(900));
        System.err.println("dialtone: hard timeout of 900 s reached, exiting");
        Runtime.getRuntime().halt(3);
      } catch (InterruptedException e) {
        // finished in time
      }
    }, "hard-timeout");
    hard.setDaemon(true);
    hard.start();
    run(p);
    hard.interrupt();
    System.exit(0);
  }

  /** Runs the whole scenario, writes the JSON to {@code p.out()} and returns it. */
  public static Map<String, Object> run(Params p) throws Exception {
    DialtoneScenario s = new DialtoneScenario(p);
    try {
      Map<String, Object> result = s.runScenario();
      Files.createDirectories(p.out().toAbsolutePath().getParent());
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(p.out().toFile(), result);
      s.log("wrote " + p.out());
      return result;
    } finally {
      s.shutdown();
    }
  }

  private void log(String msg) {
    System.err.println("[dialtone n=" + p.n + " run=" + p.run + "] " + msg);
  }

  private Map<String, Object> runScenario() throws Exception {
    DhtConfig config = DhtConfig.defaults();
    nodes = new LoopbackNodes(p.base);
    nodes.warmUpClasses(config);
    settle();
    long rssBefore = rssKiB();
    long heapBefore = usedHeap();
    long cpuStart = cpuNanos();
    ThreadCpu.Snapshot threadsAtStart = ThreadCpu.snapshot();

    Formation formation = form(config, rssBefore, heapBefore, cpuStart);
    Map<String, Object> formationThreads = ThreadCpu.between(threadsAtStart, formation.threadsAtEnd());
    log(String.format("formation %.0f ms, notReady %d, rss/node %.1f KiB, table p50 %.0f", formation.ms(),
        formation.notReady(), formation.rssPerNodeKiB(), formation.tableMedian()));
    log("formation CPU by thread: " + ThreadCpu.describe(formationThreads));

    // §2.6 idle
    long idleCpu0 = cpuNanos();
    long idleDg0 = nodes.datagramsOut();
    Thread.sleep((long) (p.idleSeconds * 1000));
    Map<String, Object> idle = new LinkedHashMap<>();
    idle.put("seconds", p.idleSeconds);
    idle.put("cpu", Stats.round((cpuNanos() - idleCpu0) / 1e6));
    idle.put("datagrams", nodes.datagramsOut() - idleDg0);

    Map<String, Object> joinOne =
        JoinOne.measure(nodes, config, List.of(nodes.node(0).address()), p.n, p.joinTimeoutSeconds, this::log);
    log(String.format("one more node joins: p50 %s ms, %s ms CPU, %s datagrams", joinOne.get("msP50"),
        joinOne.get("cpuP50"), joinOne.get("datagramsP50")));

    // §3 phases
    List<List<Ops.Op>> modes = Ops.generate(p.seed, p.n, p.m, NodeId.BYTES);
    jdk.jfr.Recording recording = null;
    if (p.jfrOps != null) {
      recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
      recording.start();
    }
    List<Map<String, Object>> phases;
    ThreadCpu.Snapshot threadsBeforeOps = ThreadCpu.snapshot();
    try (OpPhases ops = new OpPhases(nodes, p.opTimeoutSeconds, p.lookupAll, this::log)) {
      phases = ops.run(modes);
    }
    Map<String, Object> opThreads = ThreadCpu.between(threadsBeforeOps, ThreadCpu.snapshot());
    log("op phases' CPU by thread (lookupAll included): " + ThreadCpu.describe(opThreads));
    double totalCpu = (cpuNanos() - cpuStart) / 1e6;
    if (recording != null) {
      recording.stop();
      recording.dump(p.jfrOps);
      recording.close();
      log("profile of the op phases in " + p.jfrOps);
    }

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("impl", IMPL);
    result.put("params", p.toJson());
    result.put("versions", versions());
    Map<String, Object> formationJson = formation.toJson();
    formationJson.put("cpuByThread", formationThreads);
    result.put("formation", formationJson);
    result.put("idle", idle);
    result.put("joinOne", joinOne);
    result.put("phases", phases);
    result.put("opPhasesCpuByThread", opThreads);
    result.put("totalCpu", Stats.round(totalCpu));
    result.put("units", Map.of("cpu", "ms of process CPU time (user+system)", "latency", "ms",
        "rss", "KiB per node"));
    result.put("libraryDefaults", "DhtConfig.defaults(): k=" + config.k() + ", alpha=" + config.alpha()
        + ", replication=" + config.replication() + ", request timeout " + config.rpc() + ", maxLookupQueries="
        + config.maxLookupQueries() + "; every contact proves its key (Ed25519 challenge) before entering a table; "
        + "records Ed25519-signed and verified by every storer and reader");
    return result;
  }

  /** §2: node 0 starts alone, then nodes 1..N-1 join through it, at most J at once. */
  private Formation form(DhtConfig config, long rssBefore, long heapBefore, long cpuStart) throws Exception {
    long t0 = System.nanoTime();
    DhtNode first = nodes.start(0, config).get(p.joinTimeoutSeconds, TimeUnit.SECONDS);
    first.bootstrap(List.of()).get(p.joinTimeoutSeconds, TimeUnit.SECONDS);
    List<PeerAddress> seeds = List.of(first.address());
    Semaphore window = new Semaphore(p.j);
    AtomicInteger notReady = new AtomicInteger();
    List<CompletableFuture<Void>> joins = new ArrayList<>();
    for (int i = 1; i < p.n; i++) {
      window.acquire();
      int index = i;
      CompletableFuture<Void> join = nodes.start(i, config)
          .thenCompose(node -> node.bootstrap(seeds))
          .orTimeout(p.joinTimeoutSeconds, TimeUnit.SECONDS)
          .whenComplete((v, e) -> {
            if (e != null) {
              notReady.incrementAndGet();
              log("join " + index + " failed: " + e);
            }
            window.release();
          });
      joins.add(join.exceptionally(e -> null));
    }
    CompletableFuture.allOf(joins.toArray(new CompletableFuture<?>[0])).join();
    double formationMs = (System.nanoTime() - t0) / 1e6;
    double formationCpu = (cpuNanos() - cpuStart) / 1e6;
    ThreadCpu.Snapshot threadsAtEnd = ThreadCpu.snapshot();
    long formationDatagrams = nodes.datagramsOut();
    settle();
    long rssAfter = rssKiB();
    long heapAfter = usedHeap();
    Map<String, Long> formationCounters = nodes.counters();
    List<Integer> tables = new ArrayList<>();
    for (DhtNode node : nodes.started()) {
      tables.add(node.stats().get(10, TimeUnit.SECONDS).routingTableSize());
    }
    tables.sort(Integer::compare);
    return new Formation(formationMs, notReady.get(), formationCpu, formationDatagrams, rssBefore, rssAfter,
        heapBefore, heapAfter, tables, formationCounters, threadsAtEnd);
  }

  /** The versions of what ran, for the result JSON. */
  private static Map<String, Object> versions() {
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put("java", System.getProperty("java.version"));
    versions.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    versions.put("jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    versions.put("dialtone", DhtNode.class.getPackage().getImplementationVersion() == null ? "0.1.0-SNAPSHOT"
        : DhtNode.class.getPackage().getImplementationVersion());
    versions.put("vertx", String.valueOf(Vertx.class.getPackage().getImplementationVersion()));
    return versions;
  }

  private void shutdown() {
    if (nodes != null) {
      nodes.close();
    }
  }
}
