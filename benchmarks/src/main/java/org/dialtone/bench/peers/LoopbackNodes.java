package org.dialtone.bench.peers;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.DhtNodes;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;

/**
 * The scenario's N Dialtone nodes in this JVM: one Vert.x instance, node i on its own UDP socket on loopback
 * ({@code HOST:base+i}, or an ephemeral port when base is 0), each with a fresh identity; their counters summed;
 * closed together. Nodes may start from several threads at once.
 */
final class LoopbackNodes implements AutoCloseable {
  static final String HOST = "127.0.0.1";

  private final Vertx vertx = Vertx.vertx();
  private final int base;
  private final List<DhtNode> nodes = new ArrayList<>();
  private final List<Identity> identities = new ArrayList<>();

  LoopbackNodes(int base) {
    this.base = base;
  }

  /** Starts node {@code i} (not yet bootstrapped). */
  CompletableFuture<DhtNode> start(int i, DhtConfig config) {
    Identity identity = Identity.generate();
    int port = base == 0 ? 0 : base + i;
    return DhtNodes.startUdp(vertx, config, identity, HOST, port).thenApply(node -> {
      synchronized (nodes) {
        while (nodes.size() <= i) {
          nodes.add(null);
          identities.add(null);
        }
        nodes.set(i, node);
        identities.set(i, identity);
      }
      return node;
    });
  }

  /** Node {@code i}. */
  DhtNode node(int i) {
    synchronized (nodes) {
      return nodes.get(i);
    }
  }

  /** Node {@code i}'s identity. */
  Identity identity(int i) {
    synchronized (nodes) {
      return identities.get(i);
    }
  }

  /** The nodes started so far. */
  List<DhtNode> started() {
    synchronized (nodes) {
      return nodes.stream().filter(n -> n != null).toList();
    }
  }

  /** Loads the classes a node uses before RSS_before is taken ("libraries already loaded"), then closes it. */
  void warmUpClasses(DhtConfig config) throws Exception {
    Identity id = Identity.generate();
    DhtNode n = DhtNodes.startUdp(vertx, config, id, HOST, 0).get(30, TimeUnit.SECONDS);
    n.bootstrap(List.of()).get(30, TimeUnit.SECONDS);
    SignedRecord r = SignedRecord.sign(id, NodeId.of(new byte[32]), 1, 1, System.currentTimeMillis() / 1000 + 60,
        new byte[2]);
    try {
      n.put(r).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // alone, the node stores it itself; either way the classes are loaded
    }
    n.get(r.key()).get(30, TimeUnit.SECONDS);
    n.closeAsync().get(30, TimeUnit.SECONDS);
  }

  /** Every counter summed over all nodes, for diagnostics (verifications per contact, drops, ...). */
  Map<String, Long> counters() {
    Map<String, Long> sum = new LinkedHashMap<>();
    List<DhtNode> all = started();
    for (Counter c : Counter.values()) {
      long v = 0;
      for (DhtNode n : all) {
        v += n.metrics().get(c);
      }
      sum.put(c.name(), v);
    }
    return sum;
  }

  /** What changed between two readings of {@link #counters()}: the counters that moved, by how much. */
  static Map<String, Long> delta(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> d = new LinkedHashMap<>();
    after.forEach((k, v) -> {
      long x = v - before.getOrDefault(k, 0L);
      if (x != 0) {
        d.put(k, x);
      }
    });
    return d;
  }

  /** Datagrams sent by all nodes so far. */
  long datagramsOut() {
    long sum = 0;
    for (DhtNode n : started()) {
      sum += n.metrics().get(Counter.DATAGRAMS_OUT);
    }
    return sum;
  }

  /** Closes every node, then Vert.x; best effort, 30 s each. */
  @Override
  public void close() {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (DhtNode n : started()) {
      closing.add(n.closeAsync());
    }
    try {
      CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort
    }
  }
}
