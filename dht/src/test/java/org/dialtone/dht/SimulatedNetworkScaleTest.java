package org.dialtone.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.GetOptions;
import org.dialtone.dht.api.GetResult;
import org.dialtone.dht.api.PutResult;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.sim.LatencyModel;
import org.dialtone.dht.testkit.SimulatedCluster;
import org.junit.jupiter.api.Test;

/**
 * The DHT at scale on the simulated network: 2,000 real nodes on virtual time, 10% of datagrams lost, latency of
 * 10 to 100 ms per link. Deterministic: the seed fixes every event. Asserts success and the lookup's cost (median
 * hops and messages within Kademlia's bounds); prints the figures.
 */
class SimulatedNetworkScaleTest {
  private static final int NODES = 2000;
  private static final int PUTS = 500;
  private static final double LOSS = 0.10;

  /** What one scenario measured. */
  record Outcome(int found, int puts, double medianHops, double medianMessages) {
    double successRate() {
      return (double) found / puts;
    }
  }

  /**
   * Kademlia's cost bounds for a first-value get: with full buckets of k = 20, each hop closes in by about log2(k)
   * bits, so a lookup takes about log20(N) hops (+1 for the step onto the holder), and queries at most alpha nodes
   * per hop. Measured at N = 2,000 (seed 42, before and after churn): median 2 hops and 3 messages.
   */
  private static void assertLookupCost(Outcome o) {
    DhtConfig c = DhtConfig.defaults();
    double hopBound = Math.log(NODES) / Math.log(c.k()) + 1;
    assertTrue(o.medianHops() >= 1 && o.medianHops() <= hopBound,
        "median hops " + o.medianHops() + " outside [1, log20(N) + 1 = " + hopBound + "]");
    assertTrue(o.medianMessages() >= o.medianHops() && o.medianMessages() <= c.alpha() * hopBound,
        "median messages per get " + o.medianMessages() + " outside [hops, alpha * (log20(N) + 1) = "
            + c.alpha() * hopBound + "]");
  }

  /**
   * One network formed once (forming 2,000 nodes is most of the wall time): the puts are found from other nodes
   * despite the loss, and found again after 20% of the nodes left and as many fresh ones joined.
   */
  @Test
  void putsAreFoundDespiteTenPercentLossAndAgainAfterTwentyPercentChurn() {
    Outcome[] o = run(42);
    for (Outcome phase : o) {
      assertTrue(phase.successRate() >= 0.99, "found " + phase.found() + " of " + phase.puts());
      assertLookupCost(phase);
    }
  }

  @Test
  void theSameSeedGivesTheSameRun() {
    SimulatedCluster a = cluster(7);
    SimulatedCluster b = cluster(7);
    join(a, 200);
    join(b, 200);
    assertEquals(a.scheduler().executed(), b.scheduler().executed());
    assertEquals(a.network().stats(), b.network().stats());
  }

  private static SimulatedCluster cluster(long seed) {
    SimulatedCluster c = new SimulatedCluster(seed, DhtConfig.defaults());
    c.network().setLatency(LatencyModel.perLink(Duration.ofMillis(10), Duration.ofMillis(100), seed));
    return c;
  }

  private static void join(SimulatedCluster c, int n) {
    DhtNode first = c.addNode();
    c.await(first.bootstrap(List.of()), 1000);
    int[] failed = {0};
    c.join(n - 1, List.of(first.address()), 16, failed);
    assertEquals(0, failed[0], "joins failed");
  }

  /** Forms the network, puts, reads every record from another node; then churns 20% and reads them all again. */
  private static Outcome[] run(long seed) {
    long t0 = System.nanoTime();
    SimulatedCluster c = cluster(seed);
    c.network().setLossRate(LOSS);
    join(c, NODES);
    long joinedNanos = System.nanoTime();
    Random random = c.random();
    List<DhtNode> nodes = c.nodes();
    long expires = c.scheduler().clock().epochMillis() / 1000 + 7200;

    int[] putters = new int[PUTS];
    SignedRecord[] records = new SignedRecord[PUTS];
    for (int i = 0; i < PUTS; i++) {
      putters[i] = random.nextInt(nodes.size());
      Identity publisher = Identity.generate(random);
      records[i] = SignedRecord.sign(publisher, NodeId.random(random), 1, 1, expires, new byte[] {(byte) i});
    }
    List<CompletableFuture<PutResult>> puts =
        c.runAll(PUTS, 16, i -> nodes.get(putters[i]).put(records[i]));
    long putFailures = puts.stream().filter(CompletableFuture::isCompletedExceptionally).count();
    Outcome lossOnly = read(c, random, nodes, putters, records, puts);
    report(seed, "none", putFailures, lossOnly, joinedNanos - t0, System.nanoTime() - t0);

    List<DhtNode> live = new ArrayList<>(c.nodes());
    for (int i = 0; i < NODES / 5; i++) {
      c.remove(live.remove(random.nextInt(live.size() - 1) + 1)); // node 0, the seed, stays
    }
    int[] failed = {0};
    c.join(NODES / 5, List.of(nodes.get(0).address()), 16, failed);
    Outcome churned = read(c, random, nodes, putters, records, puts);
    report(seed, "20%", putFailures, churned, joinedNanos - t0, System.nanoTime() - t0);
    assertTrue(c.network().handlerErrors().isEmpty(), "handler errors: " + c.network().handlerErrors());
    return new Outcome[] {lossOnly, churned};
  }

  /** Every record read once, first value, from a node other than its putter among those in the network now. */
  private static Outcome read(SimulatedCluster c, Random random, List<DhtNode> putterNodes, int[] putters,
      SignedRecord[] records, List<CompletableFuture<PutResult>> puts) {
    List<DhtNode> readers = c.nodes();
    List<CompletableFuture<GetResult>> gets = c.runAll(PUTS, 16, i -> {
      DhtNode reader;
      do {
        reader = readers.get(random.nextInt(readers.size()));
      } while (reader == putterNodes.get(putters[i]));
      return reader.get(records[i].key(), GetOptions.first());
    });
    int found = 0;
    double[] hops = new double[PUTS];
    double[] messages = new double[PUTS];
    for (int i = 0; i < PUTS; i++) {
      CompletableFuture<GetResult> g = gets.get(i);
      if (!g.isCompletedExceptionally() && g.join().records().contains(records[i])) {
        found++;
      } else {
        System.out.println("  missed record " + i + ": put " + describe(puts.get(i)) + ", get " + describe(g));
      }
      if (!g.isCompletedExceptionally()) {
        hops[i] = g.join().lookup().hops();
        messages[i] = g.join().lookup().messages();
      }
    }
    return new Outcome(found, PUTS, median(hops), median(messages));
  }

  private static void report(long seed, String churn, long putFailures, Outcome o, long joinNanos, long totalNanos) {
    System.out.printf(Locale.ROOT,
        "simulation seed=%d nodes=%d loss=%.0f%% churn=%s: puts failed %d; found %d/%d (%.1f%%), median hops %.1f,"
            + " median messages per get %.1f; wall: join %.1f s, total %.1f s%n",
        seed, NODES, LOSS * 100, churn, putFailures, o.found(), PUTS, 100.0 * o.successRate(), o.medianHops(),
        o.medianMessages(), joinNanos / 1e9, totalNanos / 1e9);
  }

  private static String describe(CompletableFuture<?> f) {
    return f.handle((v, e) -> e != null ? e.getCause().toString()
        : v instanceof PutResult p ? p.replicas() + " replicas, " + p.lookup()
        : v instanceof GetResult g ? g.lookup().toString() : String.valueOf(v)).join();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
