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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.dialtone.bench.peers.Phase.OpResult;
import org.dialtone.bench.report.Stats;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.GetOptions;
import org.dialtone.dht.api.GetResult;
import org.dialtone.dht.api.PutResult;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;

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
      Map<String, String> a = new LinkedHashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        if (!args[i].startsWith("--")) {
          throw new IllegalArgumentException("expected --name value, got " + args[i]);
        }
        a.put(args[i].substring(2), args[i + 1]);
      }
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
  private final ExecutorService driver = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "scenario-driver");
    t.setDaemon(true);
    return t;
  });
  private LoopbackNodes nodes;

  private DialtoneScenario(Params p) {
    this.p = p;
  }

  public static void main(String[] args) throws Exception {
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

    Formation formation = form(config, rssBefore, heapBefore, cpuStart);
    log(String.format("formation %.0f ms, notReady %d, rss/node %.1f KiB, table p50 %.0f", formation.ms(),
        formation.notReady(), formation.rssPerNodeKiB(), formation.tableMedian()));

    // §2.6 idle
    long idleCpu0 = cpuNanos();
    long idleDg0 = nodes.datagramsOut();
    Thread.sleep((long) (p.idleSeconds * 1000));
    Map<String, Object> idle = new LinkedHashMap<>();
    idle.put("seconds", p.idleSeconds);
    idle.put("cpu", Stats.round((cpuNanos() - idleCpu0) / 1e6));
    idle.put("datagrams", nodes.datagramsOut() - idleDg0);

    Map<String, Object> joinOne = joinOne(config, List.of(nodes.node(0).address()));
    log(String.format("one more node joins: p50 %s ms, %s ms CPU, %s datagrams", joinOne.get("msP50"),
        joinOne.get("cpuP50"), joinOne.get("datagramsP50")));

    // §3 phases
    List<List<Ops.Op>> modes = Ops.generate(p.seed, p.n, p.m, NodeId.BYTES);
    List<Map<String, Object>> phases = new ArrayList<>();
    jdk.jfr.Recording recording = null;
    if (p.jfrOps != null) {
      recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
      recording.start();
    }
    String[] names = {"seq", "conc16"};
    int[] concurrency = {1, 16};
    for (int mode = 0; mode < 2; mode++) {
      List<Ops.Op> ops = modes.get(mode);
      Map<String, Long> c0 = nodes.counters();
      Phase announce = runPhase(ops, concurrency[mode], this::announce);
      Map<String, Long> c1 = nodes.counters();
      Phase lookup = runPhase(ops, concurrency[mode], op -> lookup(op, GetOptions.first()));
      Map<String, Long> c2 = nodes.counters();
      Map<String, Object> phase = new LinkedHashMap<>();
      phase.put("mode", names[mode]);
      phase.put("concurrency", concurrency[mode]);
      Map<String, Object> a = announce.summarizeAnnounce();
      a.put("counters", delta(c1, c0));
      phase.put("announce", a);
      Map<String, Object> l = lookup.summarizeLookup();
      l.put("counters", delta(c2, c1));
      phase.put("lookup", l);
      if (p.lookupAll) {
        Phase all = runPhase(ops, concurrency[mode], op -> lookup(op, GetOptions.all()));
        Map<String, Object> summary = all.summarizeLookup();
        summary.put("note", "extra: the same lookups with GetOptions.all() (full lookup to the k closest); "
            + "not part of cpu per op");
        phase.put("lookupAll", summary);
      }
      phases.add(phase);
      log(String.format("%s: announce ok %d/%d p50 %s ms; lookup found %d/%d p50 %s ms, %.1f lookups/s", names[mode],
          announce.ok(), p.m, ((Map<?, ?>) a.get("latencyMs")).get("p50"),
          lookup.ok(), p.m, ((Map<?, ?>) l.get("foundLatencyMs")).get("p50"),
          p.m / (lookup.wallNanos / 1e9)));
    }
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
    result.put("formation", formation.toJson());
    result.put("idle", idle);
    result.put("joinOne", joinOne);
    result.put("phases", phases);
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
        heapBefore, heapAfter, tables, formationCounters);
  }

  /** How many extra nodes join the formed network one at a time, to measure what one join costs. */
  static final int JOINS = 5;

  /**
   * The cost of one more node joining the formed network (issue 16): {@link #JOINS} new nodes (indices N, N+1, ...,
   * not used by the ops), one at a time, each through node 0; per join the time to ready, the process CPU, the
   * datagrams sent by all nodes and the node counters' deltas summed (proofs signed and verified); medians.
   */
  private Map<String, Object> joinOne(DhtConfig config, List<PeerAddress> seeds) throws Exception {
    List<Map<String, Object>> each = new ArrayList<>();
    double[] ms = new double[JOINS];
    double[] cpu = new double[JOINS];
    double[] datagrams = new double[JOINS];
    double[] signed = new double[JOINS];
    double[] verified = new double[JOINS];
    int ok = 0;
    for (int k = 0; k < JOINS; k++) {
      Map<String, Long> c0 = nodes.counters();
      long cpu0 = cpuNanos();
      long t0 = System.nanoTime();
      boolean ready;
      try {
        nodes.start(p.n + k, config).thenCompose(node -> node.bootstrap(seeds))
            .get(p.joinTimeoutSeconds, TimeUnit.SECONDS);
        ready = true;
        ok++;
      } catch (Exception e) {
        ready = false;
        log("extra join " + k + " failed: " + e);
      }
      ms[k] = (System.nanoTime() - t0) / 1e6;
      cpu[k] = (cpuNanos() - cpu0) / 1e6;
      Map<String, Long> d = delta(nodes.counters(), c0);
      datagrams[k] = d.getOrDefault("DATAGRAMS_OUT", 0L);
      signed[k] = d.getOrDefault("PROOFS_SIGNED", 0L);
      verified[k] = d.getOrDefault("PROOFS_VERIFIED", 0L);
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("ms", Stats.round(ms[k]));
      one.put("cpu", Stats.round(cpu[k]));
      one.put("datagrams", (long) datagrams[k]);
      one.put("ok", ready);
      one.put("counters", d);
      each.add(one);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("joins", JOINS);
    out.put("ok", ok);
    out.put("msP50", Stats.round(Stats.median(ms)));
    out.put("cpuP50", Stats.round(Stats.median(cpu)));
    out.put("datagramsP50", Stats.median(datagrams));
    out.put("proofsSignedP50", Stats.median(signed));
    out.put("proofsVerifiedP50", Stats.median(verified));
    out.put("each", each);
    return out;
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

  // ---- ops ----

  private CompletableFuture<OpResult> announce(Ops.Op op) {
    long t = System.nanoTime();
    DhtNode node = nodes.node(op.a());
    Identity id = nodes.identity(op.a());
    int port = node.address().port();
    SignedRecord record = SignedRecord.sign(id, NodeId.of(op.key()), 1, 1,
        System.currentTimeMillis() / 1000 + 3600, new byte[] {(byte) (port >>> 8), (byte) port});
    return node.put(record).thenApply((PutResult r) -> new OpResult((System.nanoTime() - t) / 1e6, null,
        r.replicas() >= 1, r.replicas(), r.messages()));
  }

  private CompletableFuture<OpResult> lookup(Ops.Op op, GetOptions options) {
    long t = System.nanoTime();
    DhtNode node = nodes.node(op.l());
    var want = nodes.identity(op.a()).publicKey();
    return node.get(NodeId.of(op.key()), options).thenApply((GetResult r) -> {
      double ms = (System.nanoTime() - t) / 1e6;
      boolean found = r.records().stream().anyMatch(rec -> rec.publisher().equals(want));
      return new OpResult(ms, found ? ms : null, found, 0, r.lookup().messages());
    });
  }

  /** Runs {@code ops} with at most {@code concurrency} in flight, each bounded by the op timeout. */
  private Phase runPhase(List<Ops.Op> ops, int concurrency, Function<Ops.Op, CompletableFuture<OpResult>> body)
      throws Exception {
    Phase phase = new Phase(ops.size());
    long cpu0 = cpuNanos();
    long dg0 = nodes.datagramsOut();
    long t0 = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    CompletableFuture<Void> allDone = new CompletableFuture<>();
    AtomicInteger finished = new AtomicInteger();
    Runnable[] startNext = new Runnable[1];
    startNext[0] = () -> {
      int k = next.getAndIncrement();
      if (k >= ops.size()) {
        return;
      }
      CompletableFuture<OpResult> f;
      try {
        f = body.apply(ops.get(k));
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.orTimeout(p.opTimeoutSeconds, TimeUnit.SECONDS).whenCompleteAsync((r, e) -> {
        if (e == null) {
          phase.results[k] = r;
        } else {
          Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
          if (cause instanceof TimeoutException) {
            phase.timedOut[k] = true;
          } else {
            phase.errors[k] = String.valueOf(cause);
          }
        }
        if (finished.incrementAndGet() == ops.size()) {
          allDone.complete(null);
        } else {
          startNext[0].run();
        }
      }, driver);
    };
    driver.submit(() -> {
      for (int i = 0; i < Math.min(concurrency, ops.size()); i++) {
        startNext[0].run();
      }
    });
    allDone.get(ops.size() * (p.opTimeoutSeconds + 5), TimeUnit.SECONDS);
    phase.wallNanos = System.nanoTime() - t0;
    phase.cpuNanos = cpuNanos() - cpu0;
    phase.datagrams = nodes.datagramsOut() - dg0;
    return phase;
  }

  private static Map<String, Long> delta(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> d = new LinkedHashMap<>();
    after.forEach((k, v) -> {
      long x = v - before.getOrDefault(k, 0L);
      if (x != 0) {
        d.put(k, x);
      }
    });
    return d;
  }

  private void shutdown() {
    if (nodes != null) {
      nodes.close();
    }
    driver.shutdownNow();
  }
}
