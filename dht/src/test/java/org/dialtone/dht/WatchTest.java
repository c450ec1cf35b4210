package org.dialtone.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.api.PutResult;
import org.dialtone.dht.api.Watch;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.sim.LatencyModel;
import org.dialtone.dht.testkit.SimulatedCluster;
import org.dialtone.dht.transport.Transport;
import org.dialtone.dht.watch.Watches;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.DecodeException;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live watches of a key on a simulated network: delivery, deduplication, renewal, cancellation, loss, bad input. */
class WatchTest {
  private SimulatedCluster cluster;
  private DhtNode seed;

  @BeforeEach
  void network() {
    cluster = new SimulatedCluster(7, DhtConfig.defaults());
    seed = cluster.addNode();
    cluster.await(seed.bootstrap(List.of()), 1000);
    cluster.join(39, List.of(seed.address()), 8, null);
  }

  private long now() {
    return cluster.scheduler().clock().epochMillis();
  }

  private SignedRecord record(Identity publisher, NodeId key, long seq) {
    return SignedRecord.sign(publisher, key, 3, seq, now() / 1000 + 600, ("seq " + seq).getBytes());
  }

  private DhtNode client() {
    DhtNode client = cluster.addNode(DhtConfig.builder().clientMode(true).build());
    cluster.await(client.bootstrap(List.of(seed.address())), 60_000);
    return client;
  }

  private long total(Counter c) {
    return cluster.nodes().stream().mapToLong(n -> n.metrics().get(c)).sum();
  }

  private static ErrorCode codeOf(CompletableFuture<?> f) {
    CompletionException e = assertThrows(CompletionException.class, f::join);
    return assertInstanceOf(DhtException.class, e.getCause()).code();
  }

  @Test
  void aServerAndAClientHearOfEachVersionOnceThoughSeveralNodesNotify() {
    cluster.network().setLatency(LatencyModel.perLink(Duration.ofMillis(10), Duration.ofMillis(50), 7));
    NodeId key = NodeId.random(cluster.random());
    DhtNode server = cluster.nodes().get(7);
    DhtNode client = client();
    List<SignedRecord> heardByServer = new ArrayList<>();
    List<SignedRecord> heardByClient = new ArrayList<>();
    List<Long> clientHeardAt = new ArrayList<>();
    Watch serverWatch = server.watch(key, heardByServer::add);
    Watch clientWatch = client.watch(key, r -> {
      heardByClient.add(r);
      clientHeardAt.add(cluster.scheduler().clock().nanoTime() / 1_000_000);
    });
    cluster.await(serverWatch.subscribed(), 60_000);
    cluster.await(clientWatch.subscribed(), 60_000);
    assertEquals(3, clientWatch.subscribedNodes());
    assertEquals(3, serverWatch.subscribedNodes());
    assertEquals(key, clientWatch.key());

    Identity agent = Identity.generate(cluster.random());
    SignedRecord v1 = record(agent, key, 1);
    long putAt = cluster.scheduler().clock().nanoTime() / 1_000_000;
    PutResult put = cluster.await(cluster.nodes().get(20).put(v1), 60_000);
    long putDoneAt = cluster.scheduler().clock().nanoTime() / 1_000_000;
    cluster.scheduler().advance(2_000); // every notification and its retransmissions are over
    assertEquals(List.of(v1), heardByClient, "exactly once");
    assertEquals(List.of(v1), heardByServer, "exactly once");
    assertTrue(client.metrics().get(Counter.NOTIFICATIONS_RECEIVED) >= 2,
        "several storing nodes notified: " + client.metrics().get(Counter.NOTIFICATIONS_RECEIVED));
    long latency = clientHeardAt.get(0) - putAt;
    System.out.printf("watch: put took %d virtual ms (%d hops); the client heard of it after %d ms "
        + "(%d ms after the put completed)%n", putDoneAt - putAt, put.lookup().hops(), latency,
        clientHeardAt.get(0) - putDoneAt);
    // The notification needs one more one-way trip (at most 50 ms) after the STORE that triggered it.
    assertTrue(clientHeardAt.get(0) <= putDoneAt + 50, "heard " + (clientHeardAt.get(0) - putDoneAt)
        + " ms after the put completed");

    // A higher sequence is heard again; another publisher's records are heard too.
    SignedRecord v2 = record(agent, key, 2);
    cluster.await(cluster.nodes().get(21).put(v2), 60_000);
    SignedRecord other = record(Identity.generate(cluster.random()), key, 1);
    cluster.await(cluster.nodes().get(22).put(other), 60_000);
    cluster.scheduler().advance(2_000);
    assertEquals(List.of(v1, v2, other), heardByClient);
    assertEquals(List.of(v1, v2, other), heardByServer);

    // A NOTIFY from an address the client never subscribed with is dropped unanswered, even a valid new version.
    Raw raw = new Raw("127.200.0.1:4000");
    Identity notifier = Identity.generate(cluster.random());
    SignedRecord v3 = record(agent, key, 3);
    for (SignedRecord r : List.of(v1, v3)) {
      raw.received.clear();
      raw.send(client.address(), new Message.Notify(5, notifier.publicKey(), r));
      assertTrue(raw.received.isEmpty(), "no reply to an unsolicited NOTIFY");
    }
    assertEquals(2, client.metrics().get(Counter.NOTIFICATIONS_UNSOLICITED));
    assertEquals(List.of(v1, v2, other), heardByClient);
  }

  @Test
  void aWatchIsRenewedAcrossManyLifetimesAndLapsesWhenCancelled() {
    NodeId key = NodeId.random(cluster.random());
    DhtNode client = client();
    List<SignedRecord> heard = new ArrayList<>();
    Watch w = client.watch(key, heard::add);
    cluster.await(w.subscribed(), 60_000);
    long subscriptionsBefore = total(Counter.SUBSCRIPTIONS);
    cluster.scheduler().advance(5 * DhtConfig.DEFAULT_SUBSCRIPTION_TTL_MILLIS);
    assertTrue(total(Counter.SUBSCRIPTIONS) >= subscriptionsBefore + 3 * 9, "renewed every half lifetime");
    assertEquals(3, w.subscribedNodes());

    Identity agent = Identity.generate(cluster.random());
    cluster.await(cluster.nodes().get(4).put(record(agent, key, 1)), 60_000);
    cluster.scheduler().advance(1_000);
    assertEquals(1, heard.size(), "still subscribed after five lifetimes");

    w.cancel();
    w.cancel(); // idempotent
    cluster.scheduler().advance(1_000);
    assertEquals(0, w.subscribedNodes());
    cluster.scheduler().advance(DhtConfig.DEFAULT_SUBSCRIPTION_TTL_MILLIS);
    long sent = total(Counter.NOTIFICATIONS_SENT);
    cluster.await(cluster.nodes().get(4).put(record(agent, key, 2)), 60_000);
    cluster.scheduler().advance(5_000);
    assertEquals(1, heard.size(), "no more records after cancel");
    assertEquals(sent, total(Counter.NOTIFICATIONS_SENT), "the storing nodes forgot the subscription");
  }

  @Test
  void aCancelledWatchHearsNothingEvenBeforeItsSubscriptionsExpire() {
    NodeId key = NodeId.random(cluster.random());
    DhtNode watcher = cluster.nodes().get(12);
    List<SignedRecord> heard = new ArrayList<>();
    List<SignedRecord> heardByOther = new ArrayList<>();
    Watch w = watcher.watch(key, heard::add);
    Watch other = watcher.watch(key, heardByOther::add); // a second watch of the same key on the same node
    cluster.await(w.subscribed(), 60_000);
    cluster.await(other.subscribed(), 60_000);
    w.cancel();
    cluster.scheduler().advance(10);
    SignedRecord r = record(Identity.generate(cluster.random()), key, 1);
    cluster.await(cluster.nodes().get(30).put(r), 60_000);
    cluster.scheduler().advance(1_000);
    assertTrue(heard.isEmpty(), "the cancelled watch heard nothing");
    assertEquals(List.of(r), heardByOther, "the other watch of the key kept the subscriptions");
    assertEquals(3, other.subscribedNodes());
    assertTrue(w.subscribed().isDone() && !w.subscribed().isCompletedExceptionally(), "cancel changes no outcome");
  }

  @Test
  void notificationsArriveDespiteTwentyPercentLoss() {
    cluster.network().setLatency(LatencyModel.perLink(Duration.ofMillis(10), Duration.ofMillis(100), 3));
    cluster.network().setLossRate(0.20);
    NodeId key = NodeId.random(cluster.random());
    DhtNode client = client();
    Set<Long> heard = new HashSet<>();
    Watch w = client.watch(key, r -> heard.add(r.seq()));
    cluster.scheduler().runUntil(() -> w.subscribedNodes() > 0, 300_000);
    assertTrue(w.subscribedNodes() > 0);
    Identity agent = Identity.generate(cluster.random());
    int puts = 40;
    int stored = 0;
    for (int seq = 1; seq <= puts; seq++) {
      CompletableFuture<PutResult> f = cluster.nodes().get(seq % 40).put(record(agent, key, seq));
      cluster.scheduler().runUntil(f::isDone, 60_000);
      if (!f.isCompletedExceptionally()) {
        stored++;
      }
    }
    cluster.scheduler().advance(10_000);
    System.out.printf("watch with 20%% loss: %d of %d puts stored, %d heard; %d notifications sent%n", stored, puts,
        heard.size(), total(Counter.NOTIFICATIONS_SENT));
    assertTrue(stored >= puts - 2, "puts stored: " + stored);
    assertTrue(heard.size() >= 0.95 * puts, "heard " + heard.size() + " of " + puts);
  }

  // ---- bad input, from a raw socket ----

  @Test
  void aSubscribeNeedsATokenHandedToThatAddress() {
    DhtNode node = cluster.nodes().get(9);
    NodeId key = node.id(); // the node is the closest to this key there is: it stores whatever is put under it
    Raw raw = new Raw("127.200.0.1:4000");
    Message.Response refused = raw.request(node.address(),
        new Message.Subscribe(1, Optional.empty(), key, Blob.of(new byte[8]), 60));
    assertEquals(ErrorCode.BAD_TOKEN, assertInstanceOf(Message.ErrorReply.class, refused).code());
    // A token handed to another address does not work from this one either.
    Raw other = new Raw("127.200.0.2:4000");
    Blob stolen = other.tokenFrom(node.address(), key);
    refused = raw.request(node.address(), new Message.Subscribe(2, Optional.empty(), key, stolen, 60));
    assertEquals(ErrorCode.BAD_TOKEN, assertInstanceOf(Message.ErrorReply.class, refused).code());
    assertEquals(0, node.metrics().get(Counter.SUBSCRIPTIONS));

    cluster.await(cluster.nodes().get(3).put(record(Identity.generate(cluster.random()), key, 1)), 60_000);
    cluster.scheduler().advance(5_000);
    assertTrue(raw.notifications.isEmpty(), "no subscription, no notification");
    assertEquals(0, node.metrics().get(Counter.NOTIFICATIONS_SENT));
  }

  @Test
  void aSubscriptionIsGrantedAtMostTenMinutesAndLapsesAtItsExpiry() {
    DhtNode node = cluster.nodes().get(9);
    NodeId key = node.id();
    Raw raw = new Raw("127.200.0.1:4000");
    raw.acknowledgeNotifications = true;
    Blob token = raw.tokenFrom(node.address(), key);
    Message.Response granted = raw.request(node.address(),
        new Message.Subscribe(1, Optional.empty(), key, token, 1_000_000));
    assertEquals(600, assertInstanceOf(Message.Subscribed.class, granted).ttlSeconds());
    granted = raw.request(node.address(), new Message.Subscribe(2, Optional.empty(), key, token, 5));
    assertEquals(5, assertInstanceOf(Message.Subscribed.class, granted).ttlSeconds(), "a refresh sets the expiry");

    Identity agent = Identity.generate(cluster.random());
    SignedRecord v1 = record(agent, key, 1);
    cluster.await(cluster.nodes().get(3).put(v1), 60_000);
    cluster.scheduler().advance(1_000);
    assertEquals(List.of(v1), raw.notified());
    // The identical record again changes nothing in the store, so nobody is told.
    cluster.await(node.restoreRecords(List.of(v1)), 10);
    cluster.scheduler().advance(1_000);
    assertEquals(List.of(v1), raw.notified());

    cluster.scheduler().advance(5_000); // past the 5 s granted
    cluster.await(cluster.nodes().get(3).put(record(agent, key, 2)), 60_000);
    cluster.scheduler().advance(1_000);
    assertEquals(List.of(v1), raw.notified(), "the subscription lapsed");

    // A time to live of 0 ends a subscription at once.
    raw.request(node.address(), new Message.Subscribe(3, Optional.empty(), key, token, 60));
    Message.Response ended = raw.request(node.address(), new Message.Subscribe(4, Optional.empty(), key, token, 0));
    assertEquals(0, assertInstanceOf(Message.Subscribed.class, ended).ttlSeconds());
    cluster.await(cluster.nodes().get(3).put(record(agent, key, 3)), 60_000);
    cluster.scheduler().advance(1_000);
    assertEquals(List.of(v1), raw.notified());
  }

  @Test
  void recordsRestoredAreNotifiedToo() {
    DhtNode node = cluster.nodes().get(9);
    NodeId key = node.id();
    Raw raw = new Raw("127.200.0.1:4000");
    raw.acknowledgeNotifications = true;
    raw.request(node.address(),
        new Message.Subscribe(1, Optional.empty(), key, raw.tokenFrom(node.address(), key), 60));
    SignedRecord r = record(Identity.generate(cluster.random()), key, 1);
    assertEquals(1, cluster.await(node.restoreRecords(List.of(r)), 10));
    cluster.scheduler().advance(1_000);
    assertEquals(List.of(r), raw.notified());
    // A node's own watch hears of what its own store accepts, since it never subscribes to itself.
    List<SignedRecord> heard = new ArrayList<>();
    node.watch(key, heard::add);
    cluster.scheduler().advance(10);
    SignedRecord r2 = record(Identity.generate(cluster.random()), key, 1);
    cluster.await(node.restoreRecords(List.of(r2)), 10);
    assertEquals(List.of(r2), heard);
  }

  @Test
  void aNotificationForAKeyNotWatchedIsDroppedWithoutAReply() {
    DhtNode client = client();
    DhtNode server = cluster.nodes().get(5);
    Raw raw = new Raw("127.200.0.1:4000");
    Identity notifier = Identity.generate(cluster.random());
    SignedRecord r = record(Identity.generate(cluster.random()), NodeId.random(cluster.random()), 1);
    for (DhtNode n : List.of(client, server)) {
      long dropped = n.metrics().get(Counter.DROPPED_NOT_SERVING);
      raw.received.clear();
      raw.send(n.address(), new Message.Notify(1, notifier.publicKey(), r));
      assertTrue(raw.received.isEmpty(), "no reply from " + n);
      assertEquals(dropped + 1, n.metrics().get(Counter.DROPPED_NOT_SERVING));
      assertEquals(0, n.metrics().get(Counter.NOTIFICATIONS_RECEIVED));
    }
    // Any other request to a client (but PING, which proves a round trip) is still dropped.
    long dropped = client.metrics().get(Counter.DROPPED_NOT_SERVING);
    raw.send(client.address(), new Message.FindNode(2, Optional.empty(), Optional.empty(), r.key()));
    assertTrue(raw.received.isEmpty());
    assertEquals(dropped + 1, client.metrics().get(Counter.DROPPED_NOT_SERVING));
  }

  @Test
  void aForgedOrExpiredRecordInANotificationIsRefused() {
    DhtNode client = client();
    DhtNode holder = cluster.nodes().get(9);
    NodeId key = holder.id(); // the holder is the closest node to this key: the watch subscribes with it
    List<SignedRecord> heard = new ArrayList<>();
    Watch w = client.watch(key, heard::add);
    cluster.await(w.subscribed(), 60_000);
    Raw raw = hijack(holder); // the storing node turns hostile, at the address the client subscribed with
    Identity notifier = Identity.generate(cluster.random());
    SignedRecord good = record(Identity.generate(cluster.random()), key, 1);
    byte[] sig = good.signature();
    sig[0] ^= 1;
    SignedRecord forged = SignedRecord.of(key, good.publisher(), good.kind(), good.seq(), good.expiresAtSeconds(),
        good.payload(), sig);
    Message.Response refused = raw.request(client.address(), new Message.Notify(1, notifier.publicKey(), forged));
    assertEquals(ErrorCode.BAD_SIGNATURE, assertInstanceOf(Message.ErrorReply.class, refused).code());
    SignedRecord expired = SignedRecord.sign(Identity.generate(cluster.random()), key, 1, 1, now() / 1000 - 1,
        new byte[0]);
    refused = raw.request(client.address(), new Message.Notify(2, notifier.publicKey(), expired));
    assertEquals(ErrorCode.EXPIRED, assertInstanceOf(Message.ErrorReply.class, refused).code());
    assertTrue(heard.isEmpty());
    assertEquals(2, client.metrics().get(Counter.RECORDS_REJECTED));
    // The genuine record is still heard: the forgery did not poison the deduplication.
    assertInstanceOf(Message.NotifyAck.class,
        raw.request(client.address(), new Message.Notify(3, notifier.publicKey(), good)));
    assertEquals(List.of(good), heard);
  }

  /**
   * Attack 8: a storing node we subscribed with turns hostile. It tries to flush the watch's deduplication with
   * records of thousands of publishers, then replays a publisher's older version (a ghost JOINED after LEFT).
   */
  @Test
  void aReplayedOlderVersionIsNeverHeardAgainWhateverFloodsTheDeduplication() {
    DhtNode client = client();
    DhtNode holder = cluster.nodes().get(9);
    NodeId key = holder.id();
    List<SignedRecord> heard = new ArrayList<>();
    Watch w = client.watch(key, heard::add);
    cluster.await(w.subscribed(), 60_000);
    Raw raw = hijack(holder);
    Identity agent = Identity.generate(cluster.random());
    SignedRecord joined = record(agent, key, 1);
    Identity notifier = Identity.generate(cluster.random());
    raw.request(client.address(), new Message.Notify(1, notifier.publicKey(), joined));
    SignedRecord left = SignedRecord.sign(agent, key, 3, 2, now() / 1000 + 30, new byte[0]); // a short tombstone
    raw.request(client.address(), new Message.Notify(2, notifier.publicKey(), left));
    assertEquals(List.of(joined, left), heard);
    int flood = Watches.MAX_PUBLISHERS_PER_WATCH + 500;
    for (int i = 0; i < flood; i++) {
      raw.transport.send(client.address(), MessageCodec.encode(
          new Message.Notify(100 + i, notifier.publicKey(), record(Identity.generate(cluster.random()), key, 1))));
      cluster.scheduler().advance(10); // under the client's rate limit: every NOTIFY is handled
    }
    cluster.scheduler().advance(1_000);
    // The agent's two versions, then new publishers until the table is full of live ones; the rest are not heard.
    assertEquals(1 + Watches.MAX_PUBLISHERS_PER_WATCH, heard.size(), "the table keeps live publishers");
    cluster.scheduler().advance(6_000); // the tombstone has expired; the older presence record has not
    assertTrue(left.isExpired(now()) && !joined.isExpired(now()));
    raw.request(client.address(), new Message.Notify(3, notifier.publicKey(), joined));
    assertTrue(heard.stream().filter(r -> r.publisher().equals(agent.publicKey())).count() == 2,
        "the ghost JOINED was not heard");
    System.out.printf("attack 8: %d notified publishers flooded a watch; the replayed older version was heard %d "
        + "times%n", flood, heard.stream().filter(r -> r.equals(joined)).count() - 1);
  }

  /** Closes {@code holder} and binds a raw socket at its address: a storing node that turned hostile. */
  private Raw hijack(DhtNode holder) {
    PeerAddress at = holder.address();
    cluster.await(holder.closeAsync(), 10);
    return new Raw(at.toString());
  }

  @Test
  void watchesAreBounded() {
    DhtNode n = cluster.addNode(DhtConfig.builder().maxWatches(2).build());
    cluster.await(n.bootstrap(List.of(seed.address())), 60_000);
    Watch a = n.watch(NodeId.random(cluster.random()), r -> { });
    n.watch(NodeId.random(cluster.random()), r -> { });
    DhtException e = assertThrows(DhtException.class, () -> n.watch(NodeId.random(cluster.random()), r -> { }));
    assertEquals(ErrorCode.OVERLOADED, e.code());
    a.cancel();
    Watch c = n.watch(NodeId.random(cluster.random()), r -> { });
    cluster.await(c.subscribed(), 60_000);
    cluster.await(a.subscribed().exceptionally(t -> null), 10);
    cluster.await(n.closeAsync(), 10);
    cluster.scheduler().advance(10);
    assertEquals(0, c.subscribedNodes());
    Watch afterClose = n.watch(NodeId.random(cluster.random()), r -> { });
    cluster.scheduler().runUntil(afterClose.subscribed()::isDone, 10);
    assertEquals(ErrorCode.CLOSED, codeOf(afterClose.subscribed()));
  }

  /** A raw socket on the simulated network, to send hand-made datagrams and see what comes back. */
  private final class Raw {
    final Transport transport;
    final List<Message> received = new ArrayList<>();
    final List<SignedRecord> notifications = new ArrayList<>();
    boolean acknowledgeNotifications;

    Raw(String address) {
      transport = cluster.network().bind(PeerAddress.parse(address));
      transport.onReceive((from, bytes) -> {
        Message m;
        try {
          m = MessageCodec.decode(bytes);
        } catch (DecodeException e) {
          throw new AssertionError("a node sent an undecodable datagram", e);
        }
        received.add(m);
        if (m instanceof Message.Notify n) {
          notifications.add(n.record());
        }
        if (acknowledgeNotifications && m instanceof Message.Notify n) {
          transport.send(from, MessageCodec.encode(
              new Message.NotifyAck(n.txId(), Identity.generate(cluster.random()).publicKey())));
        }
      });
    }

    void send(PeerAddress to, Message m) {
      transport.send(to, MessageCodec.encode(m));
      cluster.scheduler().advance(250); // a round trip on the slowest links, with room to spare
    }

    Message.Response request(PeerAddress to, Message.Request r) {
      received.clear();
      send(to, r);
      List<Message> replies = received.stream().filter(m -> m instanceof Message.Response).toList();
      assertEquals(1, replies.size(), "one reply to " + r);
      return (Message.Response) replies.get(0);
    }

    Blob tokenFrom(PeerAddress node, NodeId key) {
      Message.Response r = request(node, new Message.FindNode(9, Optional.empty(), Optional.empty(), key));
      return assertInstanceOf(Message.Nodes.class, r).token();
    }

    List<SignedRecord> notified() {
      return new ArrayList<>(new java.util.LinkedHashSet<>(notifications));
    }
  }
}
