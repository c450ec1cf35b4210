package org.dialtone.dht.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.DhtNodes;
import org.dialtone.dht.api.GetOptions;
import org.dialtone.dht.api.GetResult;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.node.NodeContext;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.routing.RoutingConfig;
import org.dialtone.dht.rpc.AmplificationGuard;
import org.dialtone.dht.rpc.RequestLimiter;
import org.dialtone.dht.rpc.Rpc;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks 3 and 4 of issue 9 on real UDP sockets on loopback: reflection (requests "from" an address that never
 * answers, as a forged source would be) and rate limits bypassed by rotating source ports.
 */
class ReflectionAndRateAttackTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<AutoCloseable> closeMe = new ArrayList<>();
  private final Random random = new Random(5);

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeMe) {
      c.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private DhtNode node(DhtConfig.Builder config) throws Exception {
    DhtNode node = DhtNodes.startUdp(vertx,
            config.routing(RoutingConfig.builder().subnetLimitsForAllAddresses(true).build()).build(),
            Identity.generate(), "127.0.0.1", 0)
        .get(10, TimeUnit.SECONDS);
    closeMe.add(node);
    node.bootstrap(List.of()).get(10, TimeUnit.SECONDS);
    return node;
  }

  private RawPeer silent(String ip) {
    RawPeer p = new RawPeer(ip, Identity.generate(), false);
    closeMe.add(p);
    return p;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20); // polling a condition with a deadline, not waiting for time to pass
    }
  }

  @Test
  void nothingSentToAnUnprovenAddressExceedsThreeTimesWhatItSent() throws Exception {
    // Short request timeouts so the victim's challenge retransmissions are over quickly.
    DhtNode node = node(DhtConfig.builder().rpc(new Rpc.Config(200, 100, 400, 2, 4096)));
    // A full table (20 contacts in distinct /24s) and a key holding a 1000-byte record: the largest answers.
    List<Contact> contacts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      contacts.add(Contact.of(Identity.generate().publicKey(), PeerAddress.parse("127.0." + (10 + i) + ".1:7000")));
    }
    node.addContacts(contacts).get(10, TimeUnit.SECONDS);
    Identity publisher = Identity.generate();
    NodeId key = NodeId.random(random);
    node.restoreRecords(List.of(SignedRecord.sign(publisher, key, 1, 1, System.currentTimeMillis() / 1000 + 600,
        new byte[1000]))).get(10, TimeUnit.SECONDS);

    Identity claimed = Identity.generate();
    List<Message.Request> attacks = List.of(
        new Message.FindNode(random.nextLong(), Optional.empty(), Optional.empty(), NodeId.random(random)),
        new Message.FindValue(random.nextLong(), Optional.empty(), Optional.empty(), key, 0, false),
        new Message.FindValue(random.nextLong(), Optional.empty(), Optional.empty(), key, 0, true),
        // A PING claiming a key draws a PONG and a challenge PING (retransmitted) to the claimed address.
        new Message.Ping(random.nextLong(), Optional.of(claimed.publicKey()), Optional.empty()),
        new Message.Ping(random.nextLong(), Optional.of(claimed.publicKey()),
            Optional.of(Blob.of(new byte[Message.CHALLENGE_BYTES]))),
        new Message.FindNode(random.nextLong(), Optional.of(claimed.publicKey()),
            Optional.of(Blob.of(new byte[Message.CHALLENGE_BYTES])), NodeId.random(random)));
    String[] names = {"FIND_NODE", "FIND_VALUE", "FIND_VALUE+nodes", "PING+key", "PING+key+challenge",
        "FIND_NODE+key+challenge"};
    for (int i = 0; i < attacks.size(); i++) {
      RawPeer victim = silent("127.0." + (100 + i) + ".1");
      victim.send(node.address(), attacks.get(i));
      // Wait until the node has nothing in flight (its challenges to the victim have all timed out).
      await("the node's requests to settle", () -> node.stats().join().pendingRequests() == 0
          && victim.datagramsIn() > 0 || node.metrics().get(Counter.DROPPED_UNPROVEN_ADDRESS) > 0
          && node.stats().join().pendingRequests() == 0);
      double ratio = (double) victim.bytesIn() / victim.bytesOut();
      System.out.printf(Locale.ROOT, "attack 3: %-24s %4d B in -> %4d B back in %d datagrams (x%.2f)%n", names[i],
          victim.bytesOut(), victim.bytesIn(), victim.datagramsIn(), ratio);
      assertTrue(victim.bytesIn() <= AmplificationGuard.FACTOR * victim.bytesOut(),
          names[i] + ": " + victim.bytesIn() + " B back for " + victim.bytesOut() + " B sent");
    }

    // A requester that completes the round trip (answers the PING) then gets full answers.
    RawPeer honest = new RawPeer("127.0.200.1", Identity.generate(), true);
    closeMe.add(honest);
    Message.FindNode ask = new Message.FindNode(random.nextLong(), Optional.empty(), Optional.empty(), key);
    int first = honest.request(node.address(), ask, 5_000).map(r -> ((Message.Nodes) r).nodes().size()).orElse(-1);
    await("the proving round trip", () -> node.stats().join().pendingRequests() == 0);
    Message.FindNode again = new Message.FindNode(random.nextLong(), Optional.empty(), Optional.empty(), key);
    int second = honest.request(node.address(), again, 5_000).map(r -> ((Message.Nodes) r).nodes().size())
        .orElse(-1);
    System.out.printf(Locale.ROOT, "attack 3: an honest requester gets %d contacts first, %d after its round trip%n",
        first, second);
    assertTrue(second >= 20, "a proven requester gets the k closest: " + second);
  }

  /**
   * Request padding, QUIC's answer to the 3x rule's cost: a first request padded to
   * {@link NodeContext#FULL_REPLY_REQUEST_BYTES} draws a whole answer (a 1000-byte record) from a node that never
   * heard from the address, and what comes back stays within 3x even when the padded "requester" is a forged source
   * that never answers. A real client node that never met the node finds the record with one query, nothing cut.
   */
  @Test
  void aPaddedFirstRequestIsAnsweredWholeAndStillWithinThreeTimes() throws Exception {
    DhtNode node = node(DhtConfig.builder().rpc(new Rpc.Config(200, 100, 400, 2, 4096)));
    Identity publisher = Identity.generate();
    NodeId key = NodeId.random(random);
    SignedRecord record = SignedRecord.sign(publisher, key, 1, 1, System.currentTimeMillis() / 1000 + 600,
        new byte[1000]);
    node.restoreRecords(List.of(record)).get(10, TimeUnit.SECONDS);

    RawPeer forged = silent("127.0.150.1");
    Message.FindValue ask = new Message.FindValue(random.nextLong(), Optional.empty(), Optional.empty(), key, 0, true);
    Message.Response reply = forged.request(node.address(), ask, 5_000, NodeContext.FULL_REPLY_REQUEST_BYTES)
        .orElseThrow(() -> new AssertionError("no reply to a padded FIND_VALUE"));
    await("the node's requests to settle", () -> node.stats().join().pendingRequests() == 0);
    System.out.printf(Locale.ROOT, "attack 3: padded FIND_VALUE %d B in -> %d B back in %d datagrams (x%.2f),"
            + " %d record(s) in the first reply%n", forged.bytesOut(), forged.bytesIn(), forged.datagramsIn(),
        (double) forged.bytesIn() / forged.bytesOut(), ((Message.Values) reply).records().size());
    assertEquals(List.of(record), ((Message.Values) reply).records(), "the first reply carries the record");
    assertTrue(forged.bytesIn() <= AmplificationGuard.FACTOR * forged.bytesOut(),
        forged.bytesIn() + " B back for " + forged.bytesOut() + " B sent");

    long truncatedBefore = node.metrics().get(Counter.REPLIES_TRUNCATED);
    DhtNode client = DhtNodes.startUdp(vertx, DhtConfig.builder().clientMode(true).build(), Identity.generate(),
        "127.0.151.1", 0).get(10, TimeUnit.SECONDS);
    closeMe.add(client);
    client.addContacts(List.of(Contact.of(node.publicKey(), node.address()))).get(10, TimeUnit.SECONDS);
    GetResult got = client.get(key, GetOptions.first()).get(30, TimeUnit.SECONDS);
    System.out.printf(Locale.ROOT, "attack 3: a client's first get from a node it never met: %d record(s), %d"
        + " message(s), %d replies cut%n", got.records().size(), got.lookup().messages(),
        node.metrics().get(Counter.REPLIES_TRUNCATED) - truncatedBefore);
    assertEquals(List.of(record), got.records());
    assertEquals(1, got.lookup().messages(), "one query, no pages fetched again");
    assertEquals(truncatedBefore, node.metrics().get(Counter.REPLIES_TRUNCATED), "nothing cut");
  }

  @Test
  void rotatingPortsGainsAtMostTwiceOnePortsShare() throws Exception {
    DhtNode node = node(DhtConfig.builder()); // default limits: 200 per second, a burst of 400, per host
    int pings = 2_000;
    long rotatingAnswered = flood(node, 20, "127.0.30.2", pings);
    long onePortAnswered = flood(node, 1, "127.0.31.2", pings);
    double gain = (double) rotatingAnswered / onePortAnswered;
    System.out.printf(Locale.ROOT, "attack 4: %d PINGs over 20 ports: %d answered; over 1 port: %d (gain x%.2f,"
        + " network multiple %d)%n", pings, rotatingAnswered, onePortAnswered, gain, RequestLimiter.PREFIX_MULTIPLE);
    assertTrue(gain <= 2.0, "rotating ports gained x" + gain);
  }

  // Sends 'pings' PINGs (claiming a key, so each reply fits the unproven allowance) round-robin over 'ports'
  // sockets on one address, as fast as it can; returns how many PONGs came back.
  private long flood(DhtNode node, int ports, String ip, int pings) throws Exception {
    List<RawPeer> sockets = new ArrayList<>();
    for (int i = 0; i < ports; i++) {
      sockets.add(silent(ip));
    }
    long limitedBefore = node.metrics().get(Counter.DROPPED_RATE_LIMITED);
    long servedBefore = node.metrics().get(Counter.REQUESTS_SERVED);
    Identity claimed = Identity.generate();
    for (int i = 0; i < pings; i++) {
      sockets.get(i % ports).send(node.address(),
          new Message.Ping(random.nextLong(), Optional.of(claimed.publicKey()), Optional.empty()));
    }
    await("every PING to be served or refused", () -> node.metrics().get(Counter.DROPPED_RATE_LIMITED)
        - limitedBefore + node.metrics().get(Counter.REQUESTS_SERVED) - servedBefore >= pings);
    return node.metrics().get(Counter.REQUESTS_SERVED) - servedBefore;
  }
}
