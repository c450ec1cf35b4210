package org.dialtone.bench.peers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dialtone.bench.report.Stats;

/**
 * What the scenario's formation step (§2 of {@code SCENARIO.md}) measured: how long N nodes took to join through node
 * 0, how many did not, the CPU and datagrams it cost, the memory per node, the routing tables' sizes and every node
 * counter summed.
 *
 * @param ms wall time of the whole formation
 * @param notReady joins that failed or timed out
 * @param cpuMs process CPU time of the formation
 * @param datagrams datagrams sent by all nodes
 * @param rssBeforeKiB resident set before the first node, libraries loaded
 * @param rssAfterKiB resident set after the formation, settled
 * @param heapBeforeBytes used heap before the first node
 * @param heapAfterBytes used heap after the formation
 * @param tables the routing table size of each node, ascending
 * @param counters every node counter, summed over the nodes
 * @param threadsAtEnd each thread's CPU time when the last join completed
 */
record Formation(double ms, int notReady, double cpuMs, long datagrams, long rssBeforeKiB, long rssAfterKiB,
    long heapBeforeBytes, long heapAfterBytes, List<Integer> tables, Map<String, Long> counters,
    ThreadCpu.Snapshot threadsAtEnd) {
  Formation {
    tables = List.copyOf(tables);
    counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters)); // in Counter order, as written
  }

  /** The median routing table size. */
  double tableMedian() {
    return Stats.percentile(tables.stream().mapToDouble(Integer::doubleValue).toArray(), 50);
  }

  /** Resident memory per node, KiB. */
  double rssPerNodeKiB() {
    return (rssAfterKiB - rssBeforeKiB) / (double) tables.size();
  }

  /** The {@code formation} object of the result JSON (keys in the order Summary and the docs show them). */
  Map<String, Object> toJson() {
    int n = tables.size();
    Map<String, Object> formation = new LinkedHashMap<>();
    formation.put("ms", Stats.round(ms));
    formation.put("notReady", notReady);
    formation.put("cpu", Stats.round(cpuMs));
    formation.put("datagrams", datagrams);
    formation.put("rssBeforeMiB", Stats.round(rssBeforeKiB / 1024.0));
    formation.put("rssAfterMiB", Stats.round(rssAfterKiB / 1024.0));
    formation.put("rssPerNodeKiB", Stats.round(rssPerNodeKiB()));
    formation.put("heapPerNodeKiB", Stats.round((heapAfterBytes - heapBeforeBytes) / 1024.0 / n));
    Map<String, Object> rt = new LinkedHashMap<>();
    rt.put("p50", (int) tableMedian());
    rt.put("min", tables.get(0));
    rt.put("max", tables.get(n - 1));
    formation.put("routingTableSize", rt);
    formation.put("routingTableTotal", tables.stream().mapToLong(Integer::longValue).sum());
    formation.put("counters", counters);
    return formation;
  }
}
