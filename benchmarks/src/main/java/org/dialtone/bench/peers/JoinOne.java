package org.dialtone.bench.peers;

import static org.dialtone.bench.peers.ProcessMeasurements.cpuNanos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.dialtone.bench.report.Stats;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.net.PeerAddress;

/**
 * The cost of one more node joining the formed network (issue 16): {@link #JOINS} new nodes (indices N, N+1, ...,
 * not used by the ops), one at a time, each through node 0; per join the time to ready, the process CPU, the
 * datagrams sent by all nodes and the node counters' deltas summed (proofs signed and verified); medians.
 */
final class JoinOne {
  /** How many extra nodes join the formed network one at a time, to measure what one join costs. */
  static final int JOINS = 5;

  private JoinOne() {}

  /** Joins nodes {@code first}, {@code first + 1}, ... of {@code nodes} through {@code seeds}; the JSON of §6. */
  static Map<String, Object> measure(LoopbackNodes nodes, DhtConfig config, List<PeerAddress> seeds, int first,
      long joinTimeoutSeconds, Consumer<String> log) {
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
        nodes.start(first + k, config).thenCompose(node -> node.bootstrap(seeds))
            .get(joinTimeoutSeconds, TimeUnit.SECONDS);
        ready = true;
        ok++;
      } catch (Exception e) {
        ready = false;
        log.accept("extra join " + k + " failed: " + e);
      }
      ms[k] = (System.nanoTime() - t0) / 1e6;
      cpu[k] = (cpuNanos() - cpu0) / 1e6;
      Map<String, Long> d = LoopbackNodes.delta(nodes.counters(), c0);
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
}
