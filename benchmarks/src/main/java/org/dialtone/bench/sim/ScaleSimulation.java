package org.dialtone.bench.sim;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.dialtone.bench.sim.ScenarioResult.Measured;
import org.dialtone.bench.sim.ScenarioResult.Percentiles;
import org.dialtone.bench.sim.ScenarioResult.Resources;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.GetOptions;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.sim.LatencyModel;
import org.dialtone.dht.sim.SimulatedNetwork;
import org.dialtone.dht.testkit.SimulatedCluster;
import org.dialtone.dht.time.VirtualScheduler;

/**
 * Runs one {@link SimScenario} with real {@link DhtNode}s on a {@link SimulatedCluster}, all on the calling thread
 * and on virtual time.
 *
 * <ol>
 *   <li>Creates the nodes and fills their routing tables with {@link OracleBootstrap} (no messages).
 *   <li>Publishes the records with {@link DhtNode#publish} (real puts; republished at half their hour-long life).
 *   <li>Spreads the lookups evenly over the scenario's minutes. Each picks a random ready node and the key of a
 *       random record whose publisher is still in the network, runs {@code get(key, GetOptions.first())} (success
 *       = that publisher's record came back), then {@code findClosest(key)} from the same node (the full lookup,
 *       whose hops compare with log2 N).
 *   <li>With churn, at the start of every minute a share of the live nodes crash (they just vanish) and as many
 *       fresh nodes join through the real bootstrap protocol, each from three random live nodes.
 * </ol>
 */
public final class ScaleSimulation {
  /** Records live an hour and are republished every half hour. */
  public static final Duration RECORD_TTL = Duration.ofMinutes(60);
  private static final int SEEDS_PER_JOIN = 3;
  private static final long MINUTE_MILLIS = 60_000;
  private static final long DRAIN_MILLIS = 120_000;

  private final SimScenario s;
  private final PrintStream log;
  private final SimulatedCluster cluster;
  private final VirtualScheduler scheduler;
  private final Random random;
  private final List<DhtNode> live;
  // Record i: its key, the publisher's key, and the node that publishes it (null once that node has left).
  private NodeId[] keys;
  private PublicKey[] publishers;
  private DhtNode[] publishingNode;
  private final Map<DhtNode, List<Integer>> publishedBy = new IdentityHashMap<>();

  private final Samples hops = new Samples();
  private final Samples messages = new Samples();
  private final Samples latency = new Samples();
  private final Samples fullHops = new Samples();
  private final Samples fullMessages = new Samples();
  private final Samples fullLatency = new Samples();
  private int counted;
  private int found;
  private int aborted;
  private int outstanding;
  private int published;
  private int publishFailed;
  private int removed;
  private int joined;
  private int joinsPending;
  private long measuringGcMillis;

  private ScaleSimulation(SimScenario scenario, PrintStream log) {
    this.s = scenario;
    this.log = log;
    this.cluster = new SimulatedCluster(scenario.seed(), DhtConfig.defaults());
    this.scheduler = cluster.scheduler();
    this.random = new Random(scenario.seed() * 0x9E3779B97F4A7C15L + 1);
    this.live = new ArrayList<>(scenario.nodes());
  }

  /** Runs {@code scenario}, printing progress to {@code log}. */
  public static ScenarioResult run(SimScenario scenario, PrintStream log) {
    return new ScaleSimulation(scenario, log).run();
  }

  private ScenarioResult run() {
    long heapBefore = usedHeapAfterGc();
    long t0 = System.nanoTime();
    long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long gc0 = gcMillis();
    SimulatedNetwork network = cluster.network();
    network.setLatency(LatencyModel.perLink(
        Duration.ofMillis(s.minLatencyMillis()), Duration.ofMillis(s.maxLatencyMillis()), s.seed()));

    for (int i = 0; i < s.nodes(); i++) {
      DhtNode node = cluster.addNode();
      node.bootstrap(List.of()); // ready at once: its table comes from the oracle
      live.add(node);
    }
    long contacts = OracleBootstrap.build(live, DhtConfig.defaults().k(), random, scheduler);
    double meanContacts = (double) contacts / s.nodes();
    long heapAfterSetup = usedHeapAfterGc();
    long t1 = System.nanoTime();
    log.printf(Locale.ROOT, "  %s: %d nodes, %.1f contacts each (oracle); setup %.1f s, heap %d MB%n",
        s.name(), s.nodes(), meanContacts, (t1 - t0) / 1e9, heapAfterSetup >> 20);

    network.setLossRate(s.lossRate());
    publish();
    long t2 = System.nanoTime();
    log.printf(Locale.ROOT, "  published %d records (%d failed) in %.1f s%n", published, publishFailed,
        (t2 - t1) / 1e9);

    runTimeline();
    long t3 = System.nanoTime();
    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
    long gc = gcMillis() - gc0 - measuringGcMillis;
    long heapAfterRun = usedHeapAfterGc();

    SimulatedNetwork.Stats net = network.stats();
    Measured measured = new Measured(counted, found, aborted,
        Percentiles.of(hops, 1), Percentiles.of(messages, 1), Percentiles.of(latency, 1e6),
        Percentiles.of(fullHops, 1), Percentiles.of(fullMessages, 1), Percentiles.of(fullLatency, 1e6),
        cdf(latency), published, publishFailed, removed, joined, joinsPending, live.size(),
        Math.round(meanContacts * 10) / 10.0, net.sent() + net.duplicated(), net.droppedLoss(),
        scheduler.executed(), net.handlerErrors(), scheduler.clock().nanoTime() / 1e9);
    Resources resources = new Resources(seconds(t1 - t0), seconds(t2 - t1), seconds(t3 - t2), seconds(t3 - t0),
        seconds(cpu), seconds(gc * 1_000_000L), heapAfterSetup, heapAfterRun, (heapAfterRun - heapBefore) / s.nodes());
    Reference.reachabilityFence(cluster);
    return new ScenarioResult(s, measured, resources);
  }

  private void publish() {
    int n = s.records();
    keys = new NodeId[n];
    publishers = new PublicKey[n];
    publishingNode = new DhtNode[n];
    int[] pending = {n};
    for (int i = 0; i < n; i++) {
      DhtNode node = live.get(random.nextInt(live.size()));
      Identity publisher = Identity.generate(random);
      keys[i] = NodeId.random(random);
      publishers[i] = publisher.publicKey();
      publishingNode[i] = node;
      publishedBy.computeIfAbsent(node, x -> new ArrayList<>()).add(i);
      byte[] payload = ("record " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      node.publish(publisher, keys[i], 1, payload, RECORD_TTL).firstPut().whenComplete((r, e) -> {
        if (e == null) {
          published++;
        } else {
          publishFailed++;
        }
        pending[0]--;
      });
    }
    scheduler.runUntil(() -> pending[0] == 0, 10 * MINUTE_MILLIS);
  }

  private void runTimeline() {
    long span = s.minutes() * MINUTE_MILLIS;
    for (int i = 0; i < s.lookups(); i++) {
      long at = (long) ((i + random.nextDouble()) * span / s.lookups());
      scheduler.schedule(at, this::startLookup);
    }
    double churnDue = 0;
    long wall = System.nanoTime();
    long lastSent = cluster.network().stats().sent();
    for (int minute = 0; minute < s.minutes(); minute++) {
      if (s.churnPerHour() > 0) {
        churnDue += s.nodes() * s.churnPerHour() / 60;
        int count = (int) churnDue;
        churnDue -= count;
        churn(count);
      }
      scheduler.advance(MINUTE_MILLIS);
      long sent = cluster.network().stats().sent();
      log.printf(Locale.ROOT,
          "  minute %d: %d live, %d joined (%d joining), %d/%d found, %d aborted; %,d datagrams; queue %d;"
              + " wall %.1f s%n",
          minute + 1, live.size(), joined, joinsPending, found, counted, aborted, sent - lastSent,
          scheduler.pending(), (System.nanoTime() - wall) / 1e9);
      lastSent = sent;
    }
    scheduler.runUntil(() -> outstanding == 0, DRAIN_MILLIS);
  }

  // A share of the nodes crash; as many fresh ones join through live seeds.
  private void churn(int count) {
    for (int i = 0; i < count; i++) {
      int index = random.nextInt(live.size());
      DhtNode gone = live.get(index);
      live.set(index, live.get(live.size() - 1));
      live.remove(live.size() - 1);
      List<Integer> records = publishedBy.remove(gone);
      if (records != null) {
        for (int r : records) {
          publishingNode[r] = null;
        }
      }
      cluster.remove(gone);
      removed++;
    }
    for (int i = 0; i < count; i++) {
      List<PeerAddress> seeds = new ArrayList<>(SEEDS_PER_JOIN);
      for (int j = 0; j < SEEDS_PER_JOIN; j++) {
        seeds.add(randomReadyNode(null).address());
      }
      DhtNode fresh = cluster.addNode();
      live.add(fresh);
      joinsPending++;
      fresh.ready().whenComplete((v, e) -> {
        joinsPending--;
        if (e == null) {
          joined++;
        }
      });
      fresh.bootstrap(seeds); // a failed bootstrap keeps retrying in the background; ready() tells
    }
  }

  private void startLookup() {
    int record = -1;
    for (int attempt = 0; attempt < 1000 && record < 0; attempt++) {
      int r = random.nextInt(keys.length);
      if (publishingNode[r] != null) {
        record = r;
      }
    }
    if (record < 0) {
      return; // every publisher has left
    }
    int r = record;
    DhtNode reader = randomReadyNode(publishingNode[r]);
    outstanding++;
    reader.get(keys[r], GetOptions.first()).whenComplete((result, error) -> {
      if (isClosed(error)) {
        aborted++;
        outstanding--;
        return;
      }
      if (result != null) {
        hops.add(result.lookup().hops());
        messages.add(result.lookup().messages());
        latency.add(result.lookup().elapsedNanos());
      }
      boolean ok = result != null && result.records().stream().anyMatch(x -> x.publisher().equals(publishers[r]));
      reader.findClosest(keys[r]).whenComplete((full, e2) -> {
        outstanding--;
        if (isClosed(e2)) {
          aborted++;
          return;
        }
        counted++;
        if (ok) {
          found++;
        }
        if (full != null) {
          fullHops.add(full.lookup().hops());
          fullMessages.add(full.lookup().messages());
          fullLatency.add(full.lookup().elapsedNanos());
        }
      });
    });
  }

  private DhtNode randomReadyNode(DhtNode not) {
    for (int attempt = 0; ; attempt++) {
      DhtNode n = live.get(random.nextInt(live.size()));
      if ((n.isReady() || attempt > 1000) && n != not) {
        return n;
      }
    }
  }

  private static boolean isClosed(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return e instanceof DhtException d && d.code() == ErrorCode.CLOSED;
  }

  private static List<Double> cdf(Samples nanos) {
    List<Double> out = new ArrayList<>(101);
    for (long v : nanos.percentiles()) {
      out.add(Math.round(v / 1e5) / 10.0);
    }
    return out;
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e8) / 10.0;
  }

  private static long gcMillis() {
    long total = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /** The live heap: used bytes after full collections (whose time is left out of {@code gcSeconds}). */
  private long usedHeapAfterGc() {
    long before = gcMillis();
    System.gc(); // a full, stop-the-world collection with every collector the JDK ships
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    measuringGcMillis += gcMillis() - before;
    return used;
  }
}
