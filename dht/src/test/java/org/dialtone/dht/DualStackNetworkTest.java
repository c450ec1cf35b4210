package org.dialtone.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.GetResult;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.routing.Contact;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * IPv4-only, IPv6-only and dual-stack nodes in one network on loopback ({@code 127.0.0.1} and {@code ::1}, real UDP):
 * the single-stack nodes hear only of contacts of their own family, the dual-stack nodes hold both, and records put
 * from an IPv4-only node are found from an IPv6-only one and the other way round, through the dual-stack nodes.
 */
class DualStackNetworkTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<DhtNode> nodes = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (DhtNode n : nodes) {
      n.closeAsync().get(10, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private DhtNode start(String host, List<PeerAddress> seeds) throws Exception {
    DhtNode n = DhtNodes.startUdp(vertx, DhtConfig.defaults(), Identity.generate(), host, 0).get(10, TimeUnit.SECONDS);
    nodes.add(n);
    n.bootstrap(seeds).get(30, TimeUnit.SECONDS);
    return n;
  }

  @Test
  void ipv4OnlyAndIpv6OnlyNodesFindEachOthersRecordsThroughDualStackNodes() throws Exception {
    DhtNode bridge = start("127.0.0.1,::1", List.of());
    assertEquals(2, bridge.addresses().size());
    assertTrue(bridge.addresses().get(0).isIpv4() && !bridge.addresses().get(1).isIpv4(),
        bridge.addresses().toString());
    assertEquals(bridge.addresses().get(0).port(), bridge.addresses().get(1).port(), "one port number for both");
    List<DhtNode> dual = new ArrayList<>(List.of(bridge));
    List<DhtNode> v4 = new ArrayList<>();
    List<DhtNode> v6 = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      dual.add(start("::1,127.0.0.1", bridge.addresses()));
    }
    for (int i = 0; i < 5; i++) {
      v4.add(start("127.0.0.1", List.of(bridge.addresses().get(0))));
      v6.add(start("::1", List.of(bridge.addresses().get(1))));
    }

    long expires = System.currentTimeMillis() / 1000 + 600;
    SignedRecord fromV4 = SignedRecord.sign(Identity.generate(), NodeId.random(new java.util.Random(4)), 1, 1,
        expires, "put over IPv4".getBytes());
    SignedRecord fromV6 = SignedRecord.sign(Identity.generate(), NodeId.random(new java.util.Random(6)), 1, 1,
        expires, "put over IPv6".getBytes());
    assertTrue(v4.get(4).put(fromV4).get(30, TimeUnit.SECONDS).replicas() > 0);
    assertTrue(v6.get(4).put(fromV6).get(30, TimeUnit.SECONDS).replicas() > 0);
    GetResult atV6 = v6.get(0).get(fromV4.key()).get(30, TimeUnit.SECONDS);
    GetResult atV4 = v4.get(0).get(fromV6.key()).get(30, TimeUnit.SECONDS);
    assertTrue(atV6.records().contains(fromV4), "the IPv6-only node found the IPv4 node's record: " + atV6);
    assertTrue(atV4.records().contains(fromV6), "the IPv4-only node found the IPv6 node's record: " + atV4);

    // Nobody was told of a contact it cannot reach, and the dual-stack nodes hold both families.
    for (DhtNode n : v4) {
      assertTrue(n.contacts().get().stream().allMatch(c -> c.address().isIpv4()), "IPv4-only " + n.contacts().get());
    }
    for (DhtNode n : v6) {
      assertTrue(n.contacts().get().stream().noneMatch(c -> c.address().isIpv4()), "IPv6-only " + n.contacts().get());
    }
    // Admission follows a proving PING after each request, so the bridge's table may still be filling: await it.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<Contact> bridged = bridge.contacts().get();
    while (!(count(bridged, true) >= 5 && count(bridged, false) >= 5) && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // poll the condition, not a fixed sleep
      bridged = bridge.contacts().get();
    }
    assertTrue(count(bridged, true) >= 5 && count(bridged, false) >= 5, "both families at the bridge: " + bridged);
  }

  private static long count(List<Contact> contacts, boolean ipv4) {
    return contacts.stream().filter(c -> c.address().isIpv4() == ipv4).count();
  }
}
