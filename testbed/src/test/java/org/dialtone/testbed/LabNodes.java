package org.dialtone.testbed;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.DhtNodes;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.routing.RoutingConfig;

/**
 * A process of several bare DHT nodes for a lab host: {@code LabNodes HOST FIRST_PORT COUNT LIMIT_ALL [SEEDS]} starts
 * COUNT nodes on HOST at ports FIRST_PORT.., joining through SEEDS (comma-separated host:port, none for a first
 * node), and prints {@code lab-node <address> <id hex>} for each and {@code lab-nodes ready} once all have joined.
 * LIMIT_ALL true applies the routing table's subnet limits to the lab's addresses too (they are local addresses,
 * which a node otherwise exempts), so a test can mount the per-/48 attack on a running node. Twenty nodes in one JVM
 * cost what one {@code dialtone node} costs, which is what makes twenty IPv6 contacts affordable on two cores. Runs
 * until the lab kills it.
 */
public final class LabNodes {
  private LabNodes() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int firstPort = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    boolean limitAll = Boolean.parseBoolean(args[3]);
    List<PeerAddress> seeds = args.length > 4
        ? Arrays.stream(args[4].split(",")).map(PeerAddress::parse).toList() : List.of();
    DhtConfig config = limitAll
        ? DhtConfig.builder().routing(RoutingConfig.builder().subnetLimitsForAllAddresses(true).build()).build()
        : DhtConfig.defaults();
    Vertx vertx = Vertx.vertx();
    List<CompletableFuture<DhtNode>> joined = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      DhtNode node = DhtNodes.startUdp(vertx, config, Identity.generate(), host, firstPort + i)
          .get(30, TimeUnit.SECONDS);
      joined.add(node.bootstrap(seeds).thenApply(v -> node));
    }
    for (CompletableFuture<DhtNode> f : joined) {
      DhtNode node = f.get(120, TimeUnit.SECONDS);
      System.out.println("lab-node " + node.address() + " " + node.id().toHex());
    }
    System.out.println("lab-nodes ready");
    System.out.flush();
    Thread.currentThread().join();
  }

  /** Starts {@code LabNodes} on {@code host}: a process the lab kills with the rest. */
  static LabProcess start(LabHost host, String label, int firstPort, int count, boolean limitAll, String seeds) {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        LabNodes.class.getName(), host.address(), String.valueOf(firstPort), String.valueOf(count),
        String.valueOf(limitAll)));
    if (!seeds.isEmpty()) {
      cmd.add(seeds);
    }
    return host.startCommand(label, cmd);
  }
}
