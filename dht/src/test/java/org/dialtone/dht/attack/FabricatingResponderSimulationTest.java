package org.dialtone.dht.attack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.FindResult;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.routing.RoutingConfig;
import org.dialtone.dht.sim.LatencyModel;
import org.dialtone.dht.testkit.SimulatedCluster;
import org.dialtone.dht.transport.Transport;
import org.junit.jupiter.api.Test;

/**
 * Attack 5's bar "one fabricating responder slows a lookup by less than 2x", measured where time is exact: the
 * simulator (seeded, virtual time, 10 to 100 ms per link). One hostile node, its id ground next to the target and
 * admitted to every table, answers every query with 20 fabricated contacts nearer the target still, at addresses where
 * nobody listens. The same 20 readers look up the target before and after it is admitted;
 * durations are virtual, so the ratio is a property of the lookup, not of the machine's load. ({@code
 * FabricatingResponderTest} mounts the same attack on real sockets and prints its figure.)
 */
class FabricatingResponderSimulationTest {
  private static final int NODES = 100;
  private static final int READERS = 20;

  @Test
  void oneFabricatingResponderNearTheTargetSlowsALookupByLessThanTwice() {
    long seed = 17;
    DhtConfig config = DhtConfig.builder()
        .routing(RoutingConfig.builder().subnetLimitsForAllAddresses(true).build()).build();
    SimulatedCluster cluster = new SimulatedCluster(seed, config);
    cluster.network().setLatency(LatencyModel.perLink(Duration.ofMillis(10), Duration.ofMillis(100), seed));
    Random random = cluster.random();
    List<DhtNode> honest = new ArrayList<>();
    List<Contact> everyone = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      DhtNode n = cluster.addNode();
      honest.add(n);
      everyone.add(Contact.of(n.publicKey(), n.address()));
    }
    for (DhtNode n : honest) {
      cluster.await(n.addContacts(everyone), 1_000);
      cluster.await(n.bootstrap(List.of()), 1_000);
    }
    NodeId target = NodeId.random(random);
    int[] readers = random.ints(READERS, 0, NODES).toArray();
    double[] before = durations(cluster, honest, target, readers);

    // The liar: its id nearer the target than any honest node's (12 or more leading bits in common), in a /24 of its
    // own, offered to every table as a proven contact, so every reader asks it.
    Identity id;
    do {
      id = Identity.generate(random);
    } while (id.nodeId().commonPrefixLength(target) < 12);
    Transport transport = cluster.network().bind(PeerAddress.parse("127.77.0.1:10000"));
    new EclipseSimulationTest.Fabricator(id, transport, new Random(random.nextLong()), List.of());
    for (DhtNode n : honest) {
      cluster.await(n.addContacts(List.of(Contact.of(id.publicKey(), transport.localAddress()))), 1_000);
    }
    double[] after = durations(cluster, honest, target, readers);

    double medianBefore = median(before);
    double medianAfter = median(after);
    double ratio = medianAfter / medianBefore;
    System.out.printf(Locale.ROOT, "attack 5 (simulator, %d nodes, one liar next to the target, %d readers): median"
        + " lookup %.0f ms before, %.0f ms with the liar (x%.2f), virtual time%n", NODES, READERS, medianBefore,
        medianAfter, ratio);
    assertTrue(ratio < 2.0, "one fabricating responder slowed the median lookup x" + ratio);
  }

  // Virtual milliseconds of one FIND_NODE lookup of the target from each reader, one after another.
  private static double[] durations(SimulatedCluster cluster, List<DhtNode> honest, NodeId target, int[] readers) {
    double[] out = new double[readers.length];
    for (int i = 0; i < readers.length; i++) {
      FindResult r = cluster.await(honest.get(readers[i]).findClosest(target), 60_000);
      assertTrue(!r.closest().isEmpty(), "the lookup found nodes");
      out[i] = r.lookup().elapsedMillis();
    }
    return out;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
