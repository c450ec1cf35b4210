package org.dialtone.bench.peers;

import static org.dialtone.bench.peers.ProcessMeasurements.cpuNanos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.dialtone.bench.peers.Phase.OpResult;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.GetOptions;
import org.dialtone.dht.api.GetResult;
import org.dialtone.dht.api.PutResult;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;

/**
 * §3 on Dialtone: the ops phases, {@code seq} (1 in flight) then {@code conc16} (16), each M announces then M lookups
 * (and, when asked, the same lookups again with {@link GetOptions#all()}), every op bounded by the op timeout; ops are
 * started and their results filed on one driver thread.
 */
final class OpPhases implements AutoCloseable {
  private final LoopbackNodes nodes;
  private final long opTimeoutSeconds;
  private final boolean lookupAll;
  private final Consumer<String> log;
  private final ExecutorService driver = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "scenario-driver");
    t.setDaemon(true);
    return t;
  });

  OpPhases(LoopbackNodes nodes, long opTimeoutSeconds, boolean lookupAll, Consumer<String> log) {
    this.nodes = nodes;
    this.opTimeoutSeconds = opTimeoutSeconds;
    this.lookupAll = lookupAll;
    this.log = log;
  }

  /** Runs both modes of {@code modes} ({@link Ops#generate}); the {@code phases} of the result JSON. */
  List<Map<String, Object>> run(List<List<Ops.Op>> modes) throws Exception {
    List<Map<String, Object>> phases = new ArrayList<>();
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
      a.put("counters", LoopbackNodes.delta(c1, c0));
      phase.put("announce", a);
      Map<String, Object> l = lookup.summarizeLookup();
      l.put("counters", LoopbackNodes.delta(c2, c1));
      phase.put("lookup", l);
      if (lookupAll) {
        Phase all = runPhase(ops, concurrency[mode], op -> lookup(op, GetOptions.all()));
        Map<String, Object> summary = all.summarizeLookup();
        summary.put("note", "extra: the same lookups with GetOptions.all() (full lookup to the k closest); "
            + "not part of cpu per op");
        phase.put("lookupAll", summary);
      }
      phases.add(phase);
      log.accept(String.format("%s: announce ok %d/%d p50 %s ms; lookup found %d/%d p50 %s ms, %.1f lookups/s", names[mode],
          announce.ok(), ops.size(), ((Map<?, ?>) a.get("latencyMs")).get("p50"),
          lookup.ok(), ops.size(), ((Map<?, ?>) l.get("foundLatencyMs")).get("p50"),
          ops.size() / (lookup.wallNanos / 1e9)));
    }
    return phases;
  }

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
      f.orTimeout(opTimeoutSeconds, TimeUnit.SECONDS).whenCompleteAsync((r, e) -> {
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
    allDone.get(ops.size() * (opTimeoutSeconds + 5), TimeUnit.SECONDS);
    phase.wallNanos = System.nanoTime() - t0;
    phase.cpuNanos = cpuNanos() - cpu0;
    phase.datagrams = nodes.datagramsOut() - dg0;
    return phase;
  }

  @Override
  public void close() {
    driver.shutdownNow();
  }
}
