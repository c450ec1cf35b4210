package org.dialtone.dht.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.DhtNodes;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.record.StoreLimits;
import org.dialtone.dht.routing.RoutingConfig;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks 1 and 2 of issue 9 on real UDP sockets on loopback: filling a number's key to censor it, and flooding a
 * node's store, from one /24 (127.0.0.x, many ports). The victim applies its subnet limits to loopback addresses, as
 * a public node applies them to public ones; honest peers sit in other /24s (127.0.1.x, 127.0.2.x).
 */
class StoreAttackTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<AutoCloseable> closeMe = new ArrayList<>();
  private final Random random = new Random(9);

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeMe) {
      c.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private DhtNode victim(StoreLimits store) throws Exception {
    DhtConfig config = DhtConfig.builder()
        .routing(RoutingConfig.builder().subnetLimitsForAllAddresses(true).build())
        .store(store)
        .rateLimit(100_000, 100_000) // these tests are about the store, not the rate limits
        .build();
    DhtNode node = DhtNodes.startUdp(vertx, config, Identity.generate(), "127.0.0.1", 0).get(10, TimeUnit.SECONDS);
    closeMe.add(node);
    node.bootstrap(List.of()).get(10, TimeUnit.SECONDS);
    return node;
  }

  private RawPeer peer(String ip) {
    RawPeer p = new RawPeer(ip, Identity.generate(), true);
    closeMe.add(p);
    return p;
  }

  private static Blob token(RawPeer from, DhtNode to) {
    Message.Response r = from.request(to.address(),
        new Message.FindNode(new Random().nextLong(), Optional.empty(), Optional.empty(), to.id()), 5_000)
        .orElseThrow(() -> new AssertionError("no NODES reply to " + from.address()));
    return assertInstanceOf(Message.Nodes.class, r).token();
  }

  private static Message.Response store(RawPeer from, DhtNode to, Blob token, SignedRecord r) {
    return from.request(to.address(), new Message.Store(new Random().nextLong(), Optional.empty(), token, r), 5_000)
        .orElseThrow(() -> new AssertionError("no reply to a STORE from " + from.address()));
  }

  private static SignedRecord record(Identity who, NodeId key, long seq, long ttlSeconds) {
    return SignedRecord.sign(who, key, 1, seq, System.currentTimeMillis() / 1000 + ttlSeconds,
        ("presence of " + who.publicKey()).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void fillingAKeyFromOneNetworkNeitherEvictsNorBlocksItsPublishers() throws Exception {
    DhtNode victim = victim(StoreLimits.defaults());
    NodeId number = NodeId.random(random);

    // An honest presence record, short-lived, stored before the flood from another /24.
    RawPeer honest = peer("127.0.1.1");
    Identity publisher = Identity.generate();
    SignedRecord presence = record(publisher, number, 1, 120);
    assertInstanceOf(Message.StoreAck.class, store(honest, victim, token(honest, victim), presence));

    // 256 records with 24 h expiry from fresh keys, over 20 ports of one address in 127.0.0.0/24.
    List<RawPeer> ports = new ArrayList<>();
    List<Blob> tokens = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      RawPeer p = peer("127.0.0.2");
      ports.add(p);
      tokens.add(token(p, victim));
    }
    int accepted = 0;
    for (int i = 0; i < 256; i++) {
      Message.Response r = store(ports.get(i % 20), victim, tokens.get(i % 20),
          record(Identity.generate(), number, 1, 86_000));
      if (r instanceof Message.StoreAck) {
        accepted++;
      }
    }
    System.out.printf(Locale.ROOT, "attack 1: the flood got %d of 256 records under the key (its share: %d)%n",
        accepted, StoreLimits.DEFAULT_MAX_RECORDS_PER_KEY_PER_PREFIX);
    assertEquals(StoreLimits.DEFAULT_MAX_RECORDS_PER_KEY_PER_PREFIX, accepted, "one /24's share of a key");

    // The honest record is still served, to a reader in a third /24 ...
    RawPeer reader = peer("127.0.2.1");
    List<SignedRecord> served = readAll(reader, victim, number);
    assertTrue(served.contains(presence), "the record stored before the flood is still served");
    // ... and its publisher renews it, and a newcomer from another network still finds room.
    SignedRecord renewed = record(publisher, number, 2, 120);
    assertInstanceOf(Message.StoreAck.class, store(honest, victim, token(honest, victim), renewed));
    RawPeer other = peer("127.0.3.1");
    assertInstanceOf(Message.StoreAck.class,
        store(other, victim, token(other, victim), record(Identity.generate(), number, 1, 600)));
  }

  @Test
  void aStoreFloodFromOneNetworkLeavesOtherRecordsAndRoomForThem() throws Exception {
    // A small store so the test is quick; the quotas keep their default proportions (1/25 of the store).
    StoreLimits limits = new StoreLimits(256, 2_000, 86_400, 16, 80);
    DhtNode victim = victim(limits);

    RawPeer honest = peer("127.0.1.1");
    Blob honestToken = token(honest, victim);
    List<SignedRecord> honestRecords = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      SignedRecord r = record(Identity.generate(), NodeId.random(random), 1, 3_600);
      assertInstanceOf(Message.StoreAck.class, store(honest, victim, honestToken, r));
      honestRecords.add(r);
    }

    List<RawPeer> ports = new ArrayList<>();
    List<Blob> tokens = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      RawPeer p = peer("127.0.0." + (2 + i % 5)); // five hosts of one /24, four ports each
      ports.add(p);
      tokens.add(token(p, victim));
    }
    int accepted = 0;
    int honestDuring = 0;
    for (int i = 0; i < 1_000; i++) {
      Message.Response r = store(ports.get(i % 20), victim, tokens.get(i % 20),
          record(Identity.generate(), NodeId.random(random), 1, 86_000));
      if (r instanceof Message.StoreAck) {
        accepted++;
      }
      if (i % 100 == 50) { // honest STOREs from another network during the flood
        SignedRecord h = record(Identity.generate(), NodeId.random(random), 1, 3_600);
        if (store(honest, victim, honestToken, h) instanceof Message.StoreAck) {
          honestDuring++;
          honestRecords.add(h);
        }
      }
    }
    SignedRecord after = record(Identity.generate(), NodeId.random(random), 1, 3_600);
    assertInstanceOf(Message.StoreAck.class, store(honest, victim, honestToken, after), "an honest STORE after");
    honestRecords.add(after);

    List<SignedRecord> held = victim.storedRecords().get(10, TimeUnit.SECONDS);
    long survived = honestRecords.stream().filter(held::contains).count();
    System.out.printf(Locale.ROOT, "attack 2: the flood got %d of 1000 records stored (quota %d); honest STOREs"
        + " during it %d/10; honest records held after it %d/%d; store size %d (bound %d)%n", accepted,
        limits.maxRecordsPerPrefix(), honestDuring, survived, honestRecords.size(), held.size(), limits.maxRecords());
    assertEquals(limits.maxRecordsPerPrefix(), accepted, "one /24's share of the store");
    assertEquals(10, honestDuring, "every honest STORE during the flood succeeded");
    assertEquals(honestRecords.size(), survived, "no honest record was lost to the flood");
    assertTrue(held.size() <= limits.maxRecords());
  }

  private static List<SignedRecord> readAll(RawPeer reader, DhtNode from, NodeId key) {
    List<SignedRecord> out = new ArrayList<>();
    int offset = 0;
    for (int page = 0; page < 100; page++) {
      Message.Response r = reader.request(from.address(),
          new Message.FindValue(new Random().nextLong(), Optional.empty(), Optional.empty(), key, offset, false),
          5_000).orElseThrow(() -> new AssertionError("no VALUES reply"));
      Message.Values v = assertInstanceOf(Message.Values.class, r);
      out.addAll(v.records());
      offset += v.records().size();
      if (offset >= v.total()) {
        return out;
      }
    }
    throw new AssertionError("paging did not end");
  }
}
