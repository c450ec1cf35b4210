package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.node.runner.NodeRunner;
import org.dialtone.node.runner.NodeSettings;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bootstrap nodes register on 744-196884-0 and find each other there. */
class BootstrapPeersTest {
  @TempDir Path data;

  @Test
  void bootstrapNodesAreListedOnShardZero() throws Exception {
    try (LocalTestnet net = LocalTestnet.start(3)) {
      NodeRunner one = null;
      NodeRunner two = null;
      try {
        one = NodeRunner.start(settings("one", net.seeds()), net.vertx());
        two = NodeRunner.start(settings("two", List.of(one.node().address())), net.vertx());
        one.node().ready().get(20, TimeUnit.SECONDS);
        two.node().ready().get(20, TimeUnit.SECONDS);
        List<PeerAddress> expected = List.of(one.node().address(), two.node().address());
        List<PeerAddress> found = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!found.containsAll(expected) && System.nanoTime() < deadline) {
          Thread.sleep(200);
          found = two.resolver().bootstrapNodes().get(20, TimeUnit.SECONDS);
        }
        assertTrue(found.containsAll(expected), "found " + found + ", expected " + expected);
      } finally {
        if (two != null) {
          two.close();
        }
        if (one != null) {
          one.close();
        }
      }
    }
  }

  /**
   * Attack 9 of {@code docs/threats.md} against a running bootstrap node: self-signed HOST records on 744-196884-0
   * name a socket that never answers and, under another key, a real node. The node finds both endpoints on the
   * roster and asks each to prove its key there; neither does, and neither enters its routing table (so it never
   * serves them to joiners).
   */
  @Test
  void forgedRosterEntriesNeverEnterTheRunningNodesTable() throws Exception {
    try (LocalTestnet net = LocalTestnet.start(3);
        DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      Identity silentKey = Identity.generate();
      Identity impostorKey = Identity.generate();
      NumberResolver toSilence = NumberResolver.create(net.addClient(), silentKey, AgentProfile.named("bootstrap-x"));
      NumberResolver impostor = NumberResolver.create(net.addClient(), impostorKey, AgentProfile.named("bootstrap-y"));
      PeerAddress silentAddress = PeerAddress.of((InetSocketAddress) silent.getLocalSocketAddress());
      PeerAddress impersonated = net.node(2).address();
      toSilence.announceBootstrap(silentAddress).get(30, TimeUnit.SECONDS);
      impostor.announceBootstrap(impersonated).get(30, TimeUnit.SECONDS);
      NodeRunner victim = NodeRunner.start(settings("victim", net.seeds()), net.vertx());
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100); // a missed first look retries after 60 s
        while (!victim.bootstrapPeers().containsAll(List.of(silentAddress, impersonated))) {
          assertTrue(System.nanoTime() < deadline, "the roster's endpoints were not all checked: "
              + victim.bootstrapPeers());
          Thread.sleep(200); // polling a condition with a deadline
        }
        List<Contact> table = victim.node().contacts().get(10, TimeUnit.SECONDS);
        System.out.printf("attack 9 (running node): roster endpoints checked %s; table of %d contacts holds the"
                + " forged keys: %b%n", victim.bootstrapPeers(), table.size(), table.stream().anyMatch(c ->
            c.publicKey().equals(silentKey.publicKey()) || c.publicKey().equals(impostorKey.publicKey())));
        assertFalse(table.stream().anyMatch(c -> c.publicKey().equals(silentKey.publicKey())
            || c.address().equals(silentAddress)), "the silent endpoint entered the table");
        assertFalse(table.stream().anyMatch(c -> c.publicKey().equals(impostorKey.publicKey())),
            "the impostor's key entered the table");
      } finally {
        victim.close();
        toSilence.close();
        impostor.close();
      }
    }
  }

  private NodeSettings settings(String name, List<PeerAddress> seeds) {
    return new NodeSettings("127.0.0.1", 0, -1, data.resolve(name), seeds, Optional.empty(), Duration.ofSeconds(5));
  }
}
