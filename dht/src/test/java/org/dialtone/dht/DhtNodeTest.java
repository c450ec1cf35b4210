package org.dialtone.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.GetOptions;
import org.dialtone.dht.api.GetResult;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.api.Publication;
import org.dialtone.dht.api.PutResult;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.testkit.SimulatedCluster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node's public API on a small simulated network. */
class DhtNodeTest {
  private SimulatedCluster cluster;
  private DhtNode seed;

  @BeforeEach
  void network() {
    cluster = new SimulatedCluster(1, DhtConfig.defaults());
    seed = cluster.addNode();
    cluster.await(seed.bootstrap(List.of()), 1000);
    cluster.join(39, List.of(seed.address()), 8, null);
  }

  private SignedRecord record(Identity publisher, NodeId key, long seq, long ttlSeconds) {
    long now = cluster.scheduler().clock().epochMillis() / 1000;
    return SignedRecord.sign(publisher, key, 7, seq, now + ttlSeconds, ("seq " + seq).getBytes());
  }

  private static ErrorCode codeOf(CompletableFuture<?> f) {
    CompletionException e = assertThrows(CompletionException.class, f::join);
    return assertInstanceOf(DhtException.class, e.getCause()).code();
  }

  @Test
  void everyNodeIsReadyAndKnowsSeveralContacts() {
    for (DhtNode n : cluster.nodes()) {
      assertTrue(n.isReady());
      assertTrue(cluster.await(n.stats(), 10).routingTableSize() >= 10, n + " knows too few contacts");
    }
  }

  @Test
  void aHigherSequenceReplacesALowerOneEverywhere() {
    Identity agent = Identity.generate(cluster.random());
    NodeId key = NodeId.random(cluster.random());
    DhtNode writer = cluster.nodes().get(5);
    cluster.await(writer.put(record(agent, key, 1, 600)), 60_000);
    cluster.await(writer.put(record(agent, key, 2, 600)), 60_000);
    GetResult got = cluster.await(cluster.nodes().get(30).get(key), 60_000);
    assertEquals(1, got.records().size());
    assertEquals(2, got.records().get(0).seq());
    // Replaying the older record is refused by every node that holds the newer one.
    CompletableFuture<PutResult> replay = writer.put(record(agent, key, 1, 600));
    cluster.scheduler().runUntil(replay::isDone, 60_000);
    assertEquals(ErrorCode.NOT_STORED, codeOf(replay));
  }

  @Test
  void recordsOfSeveralPublishersAreMerged() {
    NodeId key = NodeId.random(cluster.random());
    List<SignedRecord> written = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      SignedRecord r = record(Identity.generate(cluster.random()), key, 1, 600);
      written.add(r);
      cluster.await(cluster.nodes().get(i).put(r), 60_000);
    }
    GetResult got = cluster.await(cluster.nodes().get(39).get(key), 60_000);
    assertEquals(12, got.records().size());
    assertTrue(got.records().containsAll(written));
  }

  @Test
  void anInvalidRecordFailsFastWithItsCode() {
    Identity agent = Identity.generate(cluster.random());
    SignedRecord good = record(agent, NodeId.random(cluster.random()), 1, 600);
    byte[] sig = good.signature();
    sig[0] ^= 1;
    SignedRecord forged = SignedRecord.of(good.key(), good.publisher(), good.kind(), good.seq(),
        good.expiresAtSeconds(), good.payload(), sig);
    CompletableFuture<PutResult> f = seed.put(forged);
    cluster.scheduler().runUntil(f::isDone, 1000);
    assertEquals(ErrorCode.BAD_SIGNATURE, codeOf(f));
    CompletableFuture<PutResult> expired = seed.put(record(agent, good.key(), 2, -5));
    cluster.scheduler().runUntil(expired::isDone, 1000);
    assertEquals(ErrorCode.EXPIRED, codeOf(expired));
    assertEquals(0, seed.metrics().get(Counter.LOOKUPS), "nothing was sent for them");
  }

  @Test
  void aClientLooksUpAndStoresButNobodyFilesItOrAsksIt() {
    DhtNode client = cluster.addNode(DhtConfig.builder().clientMode(true).build());
    cluster.await(client.bootstrap(List.of(seed.address())), 60_000);
    SignedRecord r = record(Identity.generate(cluster.random()), NodeId.random(cluster.random()), 1, 600);
    assertTrue(cluster.await(client.put(r), 60_000).replicas() > 0);
    assertTrue(cluster.await(cluster.nodes().get(20).get(r.key()), 60_000).records().contains(r));
    assertTrue(cluster.await(client.get(r.key()), 60_000).records().contains(r));
    for (DhtNode n : cluster.nodes()) {
      assertFalse(cluster.await(n.contacts(), 10).stream().anyMatch(c -> c.id().equals(client.id())),
          n + " filed the client in its routing table");
    }
    assertEquals(0, cluster.await(client.storedRecords(), 10).size(), "a client stores nothing for others");
  }

  @Test
  void bootstrapFailsClearlyWhenNoSeedAnswers() {
    DhtNode lonely = cluster.addNode();
    CompletableFuture<Void> f = lonely.bootstrap(List.of(PeerAddress.parse("127.9.9.9:9")));
    cluster.scheduler().runUntil(f::isDone, 60_000);
    assertEquals(ErrorCode.BOOTSTRAP_FAILED, codeOf(f));
    assertFalse(lonely.isReady());
  }

  @Test
  void anOperationTimesOutAtItsDeadline() {
    DhtNode isolated = cluster.nodes().get(10);
    cluster.network().partition(List.of(isolated.address()));
    CompletableFuture<GetResult> f = isolated.get(NodeId.random(cluster.random()), new GetOptions(1, 300));
    cluster.scheduler().runUntil(f::isDone, 60_000);
    assertEquals(ErrorCode.TIMEOUT, codeOf(f));
  }

  @Test
  void cancellingAGetStopsItsQueries() {
    DhtNode n = cluster.nodes().get(10);
    cluster.network().partition(List.of(n.address())); // replies never come, so the lookup would keep waiting
    CompletableFuture<GetResult> f = n.get(NodeId.random(cluster.random()));
    cluster.scheduler().advance(10);
    assertTrue(f.cancel(true));
    assertThrows(CancellationException.class, f::join);
    cluster.scheduler().advance(10_000); // retries of queries already sent run out; nothing new starts
    long sent = n.metrics().get(Counter.DATAGRAMS_OUT);
    cluster.scheduler().advance(20_000);
    assertEquals(sent, n.metrics().get(Counter.DATAGRAMS_OUT));
  }

  @Test
  void aPublicationOutlivesItsTimeToLive() {
    Identity agent = Identity.generate(cluster.random());
    NodeId key = NodeId.random(cluster.random());
    Publication p = cluster.nodes().get(3).publish(agent, key, 1, "alive".getBytes(), Duration.ofSeconds(60));
    cluster.await(p.firstPut(), 60_000);
    long firstSeq = p.currentSeq();
    cluster.scheduler().advance(5 * 60_000); // five lifetimes of the first copy
    GetResult got = cluster.await(cluster.nodes().get(30).get(key), 60_000);
    assertEquals(1, got.records().size());
    assertTrue(got.records().get(0).seq() > firstSeq);
    p.cancel();
    cluster.scheduler().advance(2 * 60_000);
    assertTrue(cluster.await(cluster.nodes().get(30).get(key), 60_000).records().isEmpty(),
        "a cancelled publication lapses");
  }

  @Test
  void aNewCloseNeighbourIsHandedTheRecordsItShouldHold() {
    Identity newcomer = Identity.generate(cluster.random());
    NodeId key = newcomer.nodeId(); // the newcomer will be the closest node to this key there can be
    SignedRecord r = record(Identity.generate(cluster.random()), key, 1, 600);
    cluster.await(cluster.nodes().get(2).put(r), 60_000);
    DhtNode joined = DhtNode.create(DhtConfig.defaults(), newcomer, cluster.network().bindNext(),
        cluster.scheduler(), new java.util.Random(5));
    cluster.await(joined.bootstrap(List.of(seed.address())), 60_000);
    cluster.scheduler().advance(5_000);
    assertTrue(cluster.await(joined.storedRecords(), 10).contains(r), "the record was handed over");
    assertTrue(joined.metrics().get(Counter.STORES_ACCEPTED) > 0);
  }

  @Test
  void aClosedNodeFailsItsOperations() {
    DhtNode n = cluster.nodes().get(4);
    cluster.await(n.closeAsync(), 10);
    CompletableFuture<GetResult> f = n.get(NodeId.random(cluster.random()));
    cluster.scheduler().runUntil(f::isDone, 100);
    assertEquals(ErrorCode.CLOSED, codeOf(f));
  }
}
