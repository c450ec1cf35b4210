package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Partition and heal: 12 node processes on 4 hosts, split 6/6 for 60 s while agents publish on both sides; each
 * side keeps working; after the heal every record is found from every host, and the time that took is the
 * convergence time.
 */
class PartitionHealTest {
  private static final List<String> SIDE_A = List.of("h1", "h2");
  private static final List<String> SIDE_B = List.of("h3", "h4");

  @Test
  void afterAHealEveryRecordIsFoundFromEverySide() throws Exception {
    Testbeds.requireNetns();
    LabSpec spec = LabSpec.builder().links(LinkSpec.delay(10, 3).withLoss(1)).seed(21)
        .publicHosts("h1", "h2", "h3", "h4").build();
    try (Lab lab = Lab.start(spec, Path.of("target/testbed/partition"))) {
      Cluster cluster = Cluster.start(lab, List.of("h1", "h2", "h3", "h4"), 3);
      String seedsA = lab.host("h1").address() + ":7440," + lab.host("h2").address() + ":7440";
      String seedsB = lab.host("h3").address() + ":7440," + lab.host("h4").address() + ":7440";
      long splitMillis = Math.round(60_000 * Results.scale());

      lab.partition(SIDE_A, SIDE_B);
      long splitAt = System.nanoTime();
      // Agents publish on both sides during the split: two at its start, two halfway through.
      Map<String, String> records = new LinkedHashMap<>(); // agent name -> number
      List<LabProcess> agents = new ArrayList<>();
      agents.add(announce(lab, "h1", "Agent A1", "744-196884-201", seedsA, records));
      agents.add(announce(lab, "h3", "Agent B1", "744-196884-301", seedsB, records));
      awaitMillis(splitAt, splitMillis / 2);
      agents.add(announce(lab, "h2", "Agent A2", "744-196884-202", seedsA, records));
      agents.add(announce(lab, "h4", "Agent B2", "744-196884-302", seedsB, records));
      for (LabProcess a : agents) {
        a.awaitOutput("announced on", Duration.ofSeconds(240));
      }
      // Each side on its own during the split: how long a lookup there takes to find the side's latest record
      // (reported, not asserted: lookups wait out the unreachable half of their routing tables).
      long lookupFrom = System.nanoTime();
      long remaining = Math.max(10_000, splitMillis - (lookupFrom - splitAt) / 1_000_000);
      boolean aAlone = awaitSeen(node(cluster, "h2"), "744-196884-202", "Agent A2", Duration.ofMillis(remaining));
      double aAloneSeconds = (System.nanoTime() - lookupFrom) / 1e9;
      awaitMillis(splitAt, splitMillis); // at least the planned split, and until every agent has published

      lab.heal();
      long healedAt = System.nanoTime();
      double splitSeconds = (healedAt - splitAt) / 1e9;
      Duration bound = Duration.ofSeconds(240);
      List<LabProcess> readers = List.of(node(cluster, "h1"), node(cluster, "h2"), node(cluster, "h3"),
          node(cluster, "h4"));
      Map<String, Boolean> seen = new LinkedHashMap<>();
      while (true) {
        for (LabProcess r : readers) {
          for (var e : records.entrySet()) {
            String key = r.host().name() + " sees " + e.getKey();
            if (!seen.getOrDefault(key, false)) {
              seen.put(key, Cluster.sees(r, e.getValue(), e.getKey()));
            }
          }
        }
        if (seen.values().stream().allMatch(Boolean::booleanValue)) {
          break;
        }
        if (System.nanoTime() - healedAt > bound.toNanos()) {
          fail("not converged " + bound.toSeconds() + " s after the heal: " + seen);
        }
        LabHost.sleepBriefly();
      }
      double convergence = (System.nanoTime() - healedAt) / 1e9;
      Metrics.save(lab, cluster.nodes, 8440);
      Results.record("partition", String.format("12 nodes on 4 hosts split 6/6 for %.0f s, 4 agents publishing on "
          + "both sides: every record found from every host %.1f s after the heal (convergence); during the split "
          + "side A %s its own new record (%.0f s)", splitSeconds, convergence, aAlone ? "found" : "did not find",
          aAloneSeconds));
    }
  }

  private static LabProcess announce(Lab lab, String host, String name, String number, String seeds,
      Map<String, String> records) {
    records.put(name, number);
    // A client joining while half the network is unreachable waits out its lookups to the other half (35 s with
    // 4 nodes on this machine), hence the long timeout.
    return lab.host(host).start("agent", List.of("announce", number, "--name", name, "--for", "900",
        "--timeout", "150", "--bootstrap", seeds));
  }

  private static LabProcess node(Cluster c, String host) {
    return c.nodes.stream().filter(n -> n.host().name().equals(host) && n.label().equals("node1")).findFirst()
        .orElseThrow();
  }

  private static boolean awaitSeen(LabProcess node, String number, String name, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (Cluster.sees(node, number, name)) {
        return true;
      }
      LabHost.sleepBriefly();
    }
    return false;
  }

  /** Waits until {@code millis} after {@code start}: the split's length is the scenario, not a wait for a state. */
  private static void awaitMillis(long start, long millis) throws InterruptedException {
    long left = millis - (System.nanoTime() - start) / 1_000_000;
    if (left > 0) {
      Thread.sleep(left);
    }
  }
}
