package org.dialtone.bench.jmh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.lookup.Lookup;
import org.dialtone.dht.net.NodeInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The lookup state machine on its own: a whole iterative lookup (k = 20, alpha = 3) driven to convergence against a
 * canned network of {@code network} nodes, where the node at distance rank r answers with the 20 nodes around rank
 * r/4 (each hop gets ~4x closer, as in a real table). Every reply is fed back at once, so this measures only the
 * state machine: next(), onSuccess() and isFinished() steps, and closestSucceeded() at the end.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LookupBenchmark {
  @Param({"10000"})
  public int network;

  NodeId target;
  List<NodeInfo> seeds;
  Map<NodeId, List<NodeInfo>> answers;
  /** Steps (replies fed back) of the last lookup. */
  public int steps;

  @Setup
  public void setup() {
    Random r = new Random(11);
    target = NodeId.random(r);
    NodeInfo[] all = Fixtures.nodes(r, network).toArray(new NodeInfo[0]);
    Comparator<NodeId> byDistance = target.distanceOrder();
    Arrays.sort(all, (x, y) -> byDistance.compare(x.id(), y.id()));
    answers = new HashMap<>();
    for (int rank = 0; rank < all.length; rank++) {
      int from = Math.max(0, rank / 4 - 10);
      List<NodeInfo> reply = new ArrayList<>(List.of(all).subList(from, Math.min(all.length, from + 20)));
      answers.put(all[rank].id(), reply);
    }
    // seeds: 20 nodes from the far half, like a table's closest contacts for a random target
    seeds = new ArrayList<>(List.of(all).subList(all.length / 2, all.length / 2 + 20));
  }

  @Benchmark
  public List<NodeInfo> lookup() {
    Lookup lookup = new Lookup(target, 20, 3, 200, seeds);
    int s = 0;
    List<NodeInfo> batch = lookup.next();
    while (!lookup.isFinished()) {
      List<NodeInfo> more = new ArrayList<>();
      for (NodeInfo n : batch) {
        lookup.onSuccess(n.id(), answers.get(n.id()));
        s++;
        more.addAll(lookup.next());
      }
      batch = more;
      if (batch.isEmpty() && !lookup.isFinished()) {
        batch = lookup.next();
        if (batch.isEmpty()) {
          break;
        }
      }
    }
    steps = s;
    return lookup.closestSucceeded();
  }
}
