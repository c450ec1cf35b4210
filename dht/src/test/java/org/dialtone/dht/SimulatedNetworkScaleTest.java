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
 * 10 to 100 ms per link. Deterministic: the seed fixes every event.
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

  @Test
  void putsAreFoundFromOtherNodesDespiteTenPercentLoss() {
    Outcome o = run(42, false);
    assertTrue(o.successRate() >= 0.99, "found " + o.found() + " of " + o.puts());
  }

  @Test
  void putsSurviveTwentyPercentOfNodesLeavingAndFreshOnesJoining() {
    Outcome o = run(43, true);
    assertTrue(o.successRate() >= 0.99, "found " + o.found() + " of " + o.puts());
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

  private static Outcome run(long seed, boolean churn) {
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

    if (churn) {
      List<DhtNode> live = new ArrayList<>(c.nodes());
      for (int i = 0; i < NODES / 5; i++) {
        c.remove(live.remove(random.nextInt(live.size() - 1) + 1)); // node 0, the seed, stays
      }
      int[] failed = {0};
      c.join(NODES / 5, List.of(nodes.get(0).address()), 16, failed);
    }

    List<DhtNode> readers = c.nodes();
    List<CompletableFuture<GetResult>> gets = c.runAll(PUTS, 16, i -> {
      DhtNode reader;
      do {
        reader = readers.get(random.nextInt(readers.size()));
      } while (reader == nodes.get(putters[i]));
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
    }
    for (int i = 0; i < PUTS; i++) {
      CompletableFuture<GetResult> g = gets.get(i);
      if (!g.isCompletedExceptionally()) {
        hops[i] = g.join().lookup().hops();
        messages[i] = g.join().lookup().messages();
      }
    }
    Outcome o = new Outcome(found, PUTS, median(hops), median(messages));
    System.out.printf(Locale.ROOT,
        "simulation seed=%d nodes=%d loss=%.0f%% churn=%s: puts failed %d; found %d/%d (%.1f%%), median hops %.1f,"
            + " median messages per get %.1f; wall: join %.1f s, total %.1f s%n",
        seed, NODES, LOSS * 100, churn ? "20%" : "none", putFailures, found, PUTS, 100.0 * o.successRate(),
        o.medianHops(), o.medianMessages(), (joinedNanos - t0) / 1e9, (System.nanoTime() - t0) / 1e9);
    assertTrue(c.network().handlerErrors().isEmpty(), "handler errors: " + c.network().handlerErrors());
    return o;
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
