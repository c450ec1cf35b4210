package org.dialtone.bench.jmh;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.routing.RoutingConfig;
import org.dialtone.dht.routing.RoutingTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * XOR distance and closest(k) on a routing table filled by offering {@code offered} random contacts: every bucket that
 * random ids can reach is full (k = 20), which is what a node of a large network holds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RoutingBenchmark {
  @Param({"100000"})
  public int offered;

  RoutingTable table;
  NodeId[] targets;
  NodeId a;
  NodeId b;
  int next;

  @Setup
  public void setup() {
    Random r = new Random(7);
    table = new RoutingTable(NodeId.random(r), RoutingConfig.defaults(), 0);
    for (int i = 0; i < offered; i++) {
      Contact c = Fixtures.contact(r, i);
      if (table.hasRoomFor(c.id())) {
        table.offer(c, 0);
      }
    }
    targets = new NodeId[1024];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = NodeId.random(r);
    }
    a = NodeId.random(r);
    b = NodeId.random(r);
  }

  /** Contacts in the table after setup (reported by the smoke test and the README). */
  public int size() {
    return table.size();
  }

  @Benchmark
  public NodeId xor() {
    return a.xor(b);
  }

  @Benchmark
  public int compareDistance() {
    return targets[next++ & 1023].compareDistance(a, b);
  }

  @Benchmark
  public List<Contact> closest20() {
    return table.closest(targets[next++ & 1023], 20);
  }
}
