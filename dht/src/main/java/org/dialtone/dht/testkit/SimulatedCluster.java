package org.dialtone.dht.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.sim.SimulatedNetwork;
import org.dialtone.dht.time.VirtualScheduler;

/**
 * Many real {@link DhtNode}s on one {@link SimulatedNetwork} and one virtual clock: the whole network runs on the
 * calling thread, and the same seed gives the same run, event for event. For tests and simulations.
 */
public final class SimulatedCluster {
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final SimulatedNetwork network;
  private final Random random;
  private final DhtConfig config;
  private final List<DhtNode> nodes = new ArrayList<>();

  /** An empty cluster; every node gets {@code config}. */
  public SimulatedCluster(long seed, DhtConfig config) {
    this.network = new SimulatedNetwork(scheduler, seed);
    this.random = new Random(seed ^ 0x5DEECE66DL);
    this.config = config;
  }

  /** The network, to set latency, loss and partitions. */
  public SimulatedNetwork network() {
    return network;
  }

  /** The virtual clock everything runs on. */
  public VirtualScheduler scheduler() {
    return scheduler;
  }

  /** The cluster's seeded randomness, for choosing nodes and keys reproducibly. */
  public Random random() {
    return random;
  }

  /** Live nodes, in the order they were added. */
  public List<DhtNode> nodes() {
    return List.copyOf(nodes);
  }

  /** Adds a node (not yet bootstrapped) with the cluster's config. */
  public DhtNode addNode() {
    return addNode(config);
  }

  /** Adds a node (not yet bootstrapped) with {@code nodeConfig}; client-mode nodes are not listed in nodes(). */
  public DhtNode addNode(DhtConfig nodeConfig) {
    Identity identity = Identity.generate(random);
    DhtNode node = DhtNode.create(nodeConfig, identity, network.bindNext(), scheduler, new Random(random.nextLong()));
    if (!nodeConfig.clientMode()) {
      nodes.add(node);
    }
    return node;
  }

  /**
   * Adds {@code count} nodes that bootstrap from {@code seeds}, at most {@code concurrency} joining at once, and
   * runs the network until all have joined or failed. Returns the new nodes; failures count in {@code failed}.
   */
  public List<DhtNode> join(int count, List<PeerAddress> seeds, int concurrency, int[] failed) {
    List<DhtNode> added = new ArrayList<>();
    List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    int started = 0;
    while (started < count || !inFlight.isEmpty()) {
      while (started < count && inFlight.size() < concurrency) {
        DhtNode n = addNode();
        added.add(n);
        inFlight.add(n.bootstrap(seeds));
        started++;
      }
      scheduler.runUntil(() -> inFlight.stream().anyMatch(CompletableFuture::isDone), 600_000);
      inFlight.removeIf(f -> {
        if (f.isDone() && f.isCompletedExceptionally() && failed != null) {
          failed[0]++;
        }
        return f.isDone();
      });
    }
    return added;
  }

  /** Closes {@code node} and takes it off the network, as a crash would (it sends nothing on the way out). */
  public void remove(DhtNode node) {
    nodes.remove(node);
    node.closeAsync();
    scheduler.runUntil(() -> false, 0);
  }

  /** Runs the network until {@code future} completes or {@code maxVirtualMillis} pass; returns its value. */
  public <T> T await(CompletableFuture<T> future, long maxVirtualMillis) {
    scheduler.runUntil(future::isDone, maxVirtualMillis);
    if (!future.isDone()) {
      throw new IllegalStateException("not done after " + maxVirtualMillis + " virtual ms");
    }
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e;
    }
  }

  /**
   * Runs {@code op} for each of {@code count} items with at most {@code concurrency} in flight, driving the
   * network, and returns the futures in order.
   */
  public <T> List<CompletableFuture<T>> runAll(int count, int concurrency, Function<Integer, CompletableFuture<T>> op) {
    List<CompletableFuture<T>> all = new ArrayList<>();
    List<CompletableFuture<T>> inFlight = new ArrayList<>();
    int next = 0;
    while (next < count || !inFlight.isEmpty()) {
      while (next < count && inFlight.size() < concurrency) {
        CompletableFuture<T> f = op.apply(next++);
        all.add(f);
        inFlight.add(f);
      }
      scheduler.runUntil(() -> inFlight.stream().anyMatch(CompletableFuture::isDone), 600_000);
      inFlight.removeIf(CompletableFuture::isDone);
    }
    return all;
  }
}
