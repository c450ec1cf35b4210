package org.dialtone.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.FindResult;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.testkit.SimulatedCluster;
import org.junit.jupiter.api.Test;

/**
 * What a join spends: after the self-lookup, a joining node walks only into the far buckets it knows nothing of,
 * not into every bucket that has room (which cost about ten lookups per join, two thirds of a formation's
 * datagrams), and the network it forms still finds the true closest nodes.
 */
class JoinCostTest {
  @Test
  void aJoinWalksOnlyIntoRegionsItKnowsNothingOf() {
    SimulatedCluster c = new SimulatedCluster(21, DhtConfig.defaults());
    DhtNode first = c.addNode();
    c.await(first.bootstrap(List.of()), 10_000);
    int[] failed = {0};
    c.join(199, List.of(first.address()), 16, failed);
    assertEquals(0, failed[0], "joins failed");

    long lookups = c.nodes().stream().mapToLong(n -> n.metrics().get(Counter.LOOKUPS)).sum();
    double perJoin = lookups / 199.0;
    assertTrue(perJoin >= 1 && perJoin < 5, "lookups per join: " + perJoin);

    int nearestFound = 0;
    for (int i = 0; i < 50; i++) {
      NodeId target = NodeId.random(c.random());
      DhtNode from = c.nodes().get(c.random().nextInt(c.nodes().size()));
      FindResult r = c.await(from.findClosest(target), 120_000);
      NodeId nearest = c.nodes().stream().map(DhtNode::id).min(target::compareDistance).orElseThrow();
      nearestFound += r.closest().stream().anyMatch(x -> x.id().equals(nearest)) ? 1 : 0;
    }
    assertTrue(nearestFound >= 49, "the nearest node found by " + nearestFound + " of 50 lookups");
  }
}
