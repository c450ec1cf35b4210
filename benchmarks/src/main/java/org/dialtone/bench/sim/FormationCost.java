package org.dialtone.bench.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.dialtone.bench.report.NamedArgs;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.FindResult;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.api.NodeStats;
import org.dialtone.dht.api.PutResult;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.sim.SimulatedNetwork;
import org.dialtone.dht.time.VirtualScheduler;
import org.dialtone.dht.transport.Transport;
import org.dialtone.dht.wire.MessageCodec;

/**
 * What forming a network costs, counted exactly: N real {@link DhtNode}s join through node 0, at most J at once, on a
 * {@link SimulatedNetwork} and a virtual clock (1 ms latency, no loss), as the side-by-side benchmark's formation
 * does on loopback. Counts are free of the machine's load, so two versions of the join compare exactly: datagrams
 * per node by message type, proofs, lookups per join, table sizes, then the accuracy and cost of random lookups in
 * the formed network (recall of the true k closest). Prints a summary and writes {@code formation-n<N>.json}.
 *
 * <pre>
 * <p>Then {@code puts} records are put from random nodes, one at a time, as the side-by-side benchmark's announces
 * (the costliest op there): per put the datagrams of all nodes by type, the proofs signed and verified, the contacts
 * admitted and the records stored, so what an announce costs is known exactly too.
 *
 * FormationCost [--n 1000] [--j 16] [--seed 7] [--lookups 300] [--puts 100] [--out benchmarks/results]
 * </pre>
 */
public final class FormationCost {
  private FormationCost() {}

  /** Runs one formation and returns its figures (also what {@link #main} writes). */
  public static Map<String, Object> run(int n, int j, long seed, int lookups) {
    return run(n, j, seed, lookups, 0);
  }

  /** As {@link #run(int, int, long, int)}, then {@code puts} puts, one at a time, counted per put. */
  public static Map<String, Object> run(int n, int j, long seed, int lookups, int puts) {
    VirtualScheduler scheduler = new VirtualScheduler();
    SimulatedNetwork network = new SimulatedNetwork(scheduler, seed);
    Random random = new Random(seed);
    DhtConfig config = DhtConfig.defaults();
    Map<String, Long> byType = new TreeMap<>();
    List<DhtNode> nodes = new ArrayList<>();
    List<Identity> identities = new ArrayList<>();
    DhtNode first = start(config, network, scheduler, random, byType, identities);
    nodes.add(first);
    CompletableFuture<Void> alone = first.bootstrap(List.of());
    scheduler.runUntil(alone::isDone, 60_000);
    List<PeerAddress> seeds = List.of(first.address());
    List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    int failed = 0;
    long t0 = scheduler.clock().epochMillis();
    while (nodes.size() < n || !inFlight.isEmpty()) {
      while (nodes.size() < n && inFlight.size() < j) {
        DhtNode node = start(config, network, scheduler, random, byType, identities);
        nodes.add(node);
        inFlight.add(node.bootstrap(seeds));
      }
      scheduler.runUntil(() -> inFlight.stream().anyMatch(CompletableFuture::isDone), 600_000);
      for (CompletableFuture<Void> f : inFlight) {
        failed += f.isCompletedExceptionally() ? 1 : 0;
      }
      inFlight.removeIf(CompletableFuture::isDone);
    }
    long virtualMillis = scheduler.clock().epochMillis() - t0;
    Map<String, Long> formationByType = new TreeMap<>(byType); // the lookups below send more
    long datagrams = formationByType.values().stream().mapToLong(Long::longValue).sum();
    Map<Counter, Long> counters = new TreeMap<>();
    List<Integer> tables = new ArrayList<>();
    for (DhtNode node : nodes) {
      node.metrics().snapshot().forEach((k, v) -> counters.merge(k, v, Long::sum));
    }
    for (DhtNode node : nodes) {
      CompletableFuture<NodeStats> stats = node.stats();
      scheduler.runUntil(stats::isDone, 1_000);
      tables.add(stats.join().routingTableSize());
    }
    Collections.sort(tables);

    Random pick = new Random(seed + 1);
    double recall = 0;
    long messages = 0;
    int nearestFound = 0;
    for (int i = 0; i < lookups; i++) {
      NodeId target = NodeId.random(pick);
      CompletableFuture<FindResult> f = nodes.get(pick.nextInt(nodes.size())).findClosest(target);
      scheduler.runUntil(f::isDone, 120_000);
      FindResult result = f.join();
      List<NodeId> truth = nodes.stream().map(DhtNode::id).sorted(target::compareDistance)
          .limit(config.k()).toList();
      Set<NodeId> got = new HashSet<>();
      result.closest().forEach(c -> got.add(c.id()));
      recall += truth.stream().filter(got::contains).count() / (double) truth.size();
      nearestFound += got.contains(truth.get(0)) ? 1 : 0;
      messages += result.lookup().messages();
    }

    // Puts, as the side-by-side benchmark's announces: a fresh record under a random key from a random node.
    Map<String, Long> typesBeforePuts = new TreeMap<>(byType);
    Map<Counter, Long> countersBeforePuts = sum(nodes);
    long replicas = 0;
    for (int i = 0; i < puts; i++) {
      int a = pick.nextInt(nodes.size());
      byte[] key = new byte[NodeId.BYTES];
      pick.nextBytes(key);
      SignedRecord record = SignedRecord.sign(identities.get(a), NodeId.of(key), 1, 1,
          scheduler.clock().epochMillis() / 1000 + 3600, new byte[] {1, 2});
      CompletableFuture<PutResult> f = nodes.get(a).put(record);
      scheduler.runUntil(f::isDone, 120_000);
      replicas += f.join().replicas();
    }
    Map<String, Double> putDatagramsByType = new TreeMap<>();
    byType.forEach((type, count) -> {
      long d = count - typesBeforePuts.getOrDefault(type, 0L);
      if (puts > 0 && d > 0) {
        putDatagramsByType.put(type, (double) d / puts);
      }
    });
    Map<Counter, Long> countersAfterPuts = sum(nodes);
    Map<String, Object> perPut = new LinkedHashMap<>();
    perPut.put("puts", puts);
    perPut.put("replicas", puts == 0 ? 0 : (double) replicas / puts);
    perPut.put("datagrams", putDatagramsByType.values().stream().mapToDouble(Double::doubleValue).sum());
    perPut.put("datagramsByType", putDatagramsByType);
    for (Counter c : List.of(Counter.PROOFS_SIGNED, Counter.PROOFS_VERIFIED, Counter.CONTACTS_VERIFIED,
        Counter.STORES_ACCEPTED, Counter.HANDOFF_RECORDS)) {
      long d = countersAfterPuts.getOrDefault(c, 0L) - countersBeforePuts.getOrDefault(c, 0L);
      perPut.put(c.name(), puts == 0 ? 0 : (double) d / puts);
    }

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("n", n);
    out.put("j", j);
    out.put("seed", seed);
    out.put("joinsFailed", failed);
    out.put("virtualMillis", virtualMillis);
    out.put("datagrams", datagrams);
    out.put("datagramsPerNode", (double) datagrams / n);
    out.put("datagramsByType", formationByType);
    out.put("bytesPerNode", (double) counters.getOrDefault(Counter.BYTES_OUT, 0L) / n);
    out.put("lookupsPerJoin", (double) counters.getOrDefault(Counter.LOOKUPS, 0L) / Math.max(1, n - 1));
    out.put("proofsSigned", counters.getOrDefault(Counter.PROOFS_SIGNED, 0L));
    out.put("proofsVerified", counters.getOrDefault(Counter.PROOFS_VERIFIED, 0L));
    out.put("tableP10", tables.get(tables.size() / 10));
    out.put("tableP50", tables.get(tables.size() / 2));
    out.put("lookups", lookups);
    out.put("lookupRecall", lookups == 0 ? 0 : recall / lookups);
    out.put("lookupNearestFound", nearestFound);
    out.put("lookupMessages", lookups == 0 ? 0 : (double) messages / lookups);
    out.put("perPut", perPut);
    return out;
  }

  private static DhtNode start(DhtConfig config, SimulatedNetwork network, VirtualScheduler scheduler, Random random,
      Map<String, Long> byType, List<Identity> identities) {
    Transport counted = new CountingTransport(network.bindNext(), byType);
    Identity identity = Identity.generate(random);
    identities.add(identity);
    return DhtNode.create(config, identity, counted, scheduler, new Random(random.nextLong()));
  }

  private static Map<Counter, Long> sum(List<DhtNode> nodes) {
    Map<Counter, Long> counters = new TreeMap<>();
    for (DhtNode node : nodes) {
      node.metrics().snapshot().forEach((k, v) -> counters.merge(k, v, Long::sum));
    }
    return counters;
  }

  /** Counts each datagram sent by its message type (all on the simulation's one thread). */
  private record CountingTransport(Transport inner, Map<String, Long> byType) implements Transport {
    @Override
    public PeerAddress localAddress() {
      return inner.localAddress();
    }

    @Override
    public void send(PeerAddress to, byte[] datagram) {
      String type;
      try {
        type = MessageCodec.decode(datagram).getClass().getSimpleName();
      } catch (RuntimeException | org.dialtone.dht.wire.DecodeException e) {
        type = "undecodable";
      }
      byType.merge(type, 1L, Long::sum);
      inner.send(to, datagram);
    }

    @Override
    public void onReceive(DatagramHandler handler) {
      inner.onReceive(handler);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> a = NamedArgs.parse(args);
    int n = Integer.parseInt(a.getOrDefault("n", "1000"));
    Map<String, Object> r = run(n, Integer.parseInt(a.getOrDefault("j", "16")),
        Long.parseLong(a.getOrDefault("seed", "7")), Integer.parseInt(a.getOrDefault("lookups", "300")),
        Integer.parseInt(a.getOrDefault("puts", "100")));
    System.out.printf(Locale.ROOT, "formation of %d nodes (J=%s, seed %s): %.1f datagrams per node %s, "
            + "%.1f lookups per join, proofs %s signed / %s verified, table p10 %s p50 %s; lookups after: recall "
            + "%.3f, nearest found %s of %s, %.1f messages each%n",
        n, r.get("j"), r.get("seed"), r.get("datagramsPerNode"), r.get("datagramsByType"), r.get("lookupsPerJoin"),
        r.get("proofsSigned"), r.get("proofsVerified"), r.get("tableP10"), r.get("tableP50"), r.get("lookupRecall"),
        r.get("lookupNearestFound"), r.get("lookups"), r.get("lookupMessages"));
    System.out.printf(Locale.ROOT, "per put: %s%n", r.get("perPut"));
    Path dir = Path.of(a.getOrDefault("out", "benchmarks/results"));
    Files.createDirectories(dir);
    Path file = dir.resolve("formation-n" + n + ".json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), r);
    System.out.println("wrote " + file);
  }
}
