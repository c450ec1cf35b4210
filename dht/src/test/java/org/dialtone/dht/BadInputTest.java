package org.dialtone.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.GetResult;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.api.NodeStats;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.testkit.SimulatedCluster;
import org.dialtone.dht.transport.Transport;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.DecodeException;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a node does with hostile or broken input, sent from a raw socket on the simulated network: every bad
 * datagram is dropped and counted, every bad store refused with its code, and the node's state stays as it was.
 */
class BadInputTest {
  private SimulatedCluster cluster;
  private DhtNode node;
  private Transport raw;
  private final List<Message> received = new ArrayList<>();
  private final Identity attacker = Identity.generate(new Random(99));
  private final Random random = new Random(3);

  @BeforeEach
  void setUp() {
    cluster = new SimulatedCluster(11, DhtConfig.defaults());
    node = cluster.addNode();
    cluster.await(node.bootstrap(List.of()), 1000);
    cluster.join(5, List.of(node.address()), 5, null);
    raw = cluster.network().bind(PeerAddress.parse("127.200.0.1:4000"));
    raw.onReceive((from, bytes) -> {
      try {
        received.add(MessageCodec.decode(bytes));
      } catch (DecodeException e) {
        throw new AssertionError("the node sent an undecodable datagram", e);
      }
    });
  }

  private void send(byte[] datagram) {
    raw.send(node.address(), datagram);
    cluster.scheduler().advance(50);
  }

  private Message.Response request(Message.Request r) {
    received.clear();
    send(MessageCodec.encode(r));
    // Besides the reply, a PING may come asking the raw address to prove a round trip (AmplificationGuard).
    List<Message> replies = received.stream().filter(m -> m instanceof Message.Response).toList();
    assertEquals(1, replies.size(), "one reply");
    return (Message.Response) replies.get(0);
  }

  private NodeStats stats() {
    return cluster.await(node.stats(), 10);
  }

  @Test
  void garbageIsDroppedAndCountedAndChangesNothing() {
    NodeStats before = stats();
    byte[] valid = MessageCodec.encode(new Message.Ping(1, Optional.empty(), Optional.empty()));
    send(new byte[0]);
    send(new byte[] {(byte) 0xff, 0x00, 0x13});
    send(java.util.Arrays.copyOf(valid, valid.length - 2)); // truncated
    byte[] random1 = new byte[300];
    random.nextBytes(random1);
    send(random1);
    send(new byte[Message.MAX_DATAGRAM_BYTES + 1]); // oversized
    byte[] wrongVersion = valid.clone();
    wrongVersion[2] = 0x02; // map header, key 0, version 1 -> 2
    send(wrongVersion);
    send(MessageCodec.encode(new Message.Pong(77, attacker.publicKey(), Optional.empty(), raw.localAddress())));

    NodeStats after = stats();
    assertEquals(before.routingTableSize(), after.routingTableSize());
    assertEquals(before.storedRecords(), after.storedRecords());
    assertEquals(1, after.get(Counter.DROPPED_OVERSIZED));
    assertEquals(1, after.get(Counter.DROPPED_UNSUPPORTED_VERSION));
    assertEquals(4, after.get(Counter.DROPPED_MALFORMED));
    assertEquals(1, after.get(Counter.DROPPED_UNSOLICITED));
    assertEquals(0, after.get(Counter.DROPPED_INTERNAL_ERROR));
    assertTrue(received.isEmpty(), "no reply to anything that did not parse as a request");
    // And the node still serves.
    assertInstanceOf(Message.Pong.class, request(new Message.Ping(5, Optional.empty(), Optional.empty())));
  }

  @Test
  void aStoreNeedsATokenHandedToThatAddress() {
    SignedRecord r = SignedRecord.sign(attacker, NodeId.random(random), 1, 1, nowSeconds() + 600, new byte[10]);
    Message.Response noToken = request(new Message.Store(1, Optional.empty(), Blob.of(new byte[8]), r));
    assertEquals(ErrorCode.BAD_TOKEN, assertInstanceOf(Message.ErrorReply.class, noToken).code());
    assertEquals(0, stats().storedRecords());

    // A token handed to another address does not work from this one.
    Transport other = cluster.network().bind(PeerAddress.parse("127.200.0.2:4000"));
    List<Message> otherReceived = new ArrayList<>();
    other.onReceive((from, bytes) -> {
      try {
        otherReceived.add(MessageCodec.decode(bytes));
      } catch (DecodeException e) {
        throw new AssertionError(e);
      }
    });
    other.send(node.address(), MessageCodec.encode(
        new Message.FindNode(2, Optional.empty(), Optional.empty(), r.key())));
    cluster.scheduler().advance(50);
    Blob stolen = ((Message.Nodes) otherReceived.get(0)).token();
    Message.Response wrongAddress = request(new Message.Store(3, Optional.empty(), stolen, r));
    assertEquals(ErrorCode.BAD_TOKEN, assertInstanceOf(Message.ErrorReply.class, wrongAddress).code());
    assertEquals(0, stats().storedRecords());

    Blob token = tokenForRaw(r.key());
    assertInstanceOf(Message.StoreAck.class, request(new Message.Store(4, Optional.empty(), token, r)));
    assertEquals(1, stats().storedRecords());
  }

  @Test
  void forgedExpiredAndReplayedRecordsAreRefusedWithTheirCodes() {
    NodeId key = NodeId.random(random);
    Blob token = tokenForRaw(key);
    SignedRecord v2 = SignedRecord.sign(attacker, key, 1, 2, nowSeconds() + 600, "two".getBytes());
    assertInstanceOf(Message.StoreAck.class, request(new Message.Store(1, Optional.empty(), token, v2)));

    SignedRecord v1 = SignedRecord.sign(attacker, key, 1, 1, nowSeconds() + 600, "one".getBytes());
    assertEquals(ErrorCode.SEQ_TOO_LOW, refusal(new Message.Store(2, Optional.empty(), token, v1)));
    SignedRecord v2b = SignedRecord.sign(attacker, key, 1, 2, nowSeconds() + 600, "other".getBytes());
    assertEquals(ErrorCode.SEQ_TOO_LOW, refusal(new Message.Store(3, Optional.empty(), token, v2b)));

    SignedRecord v3 = SignedRecord.sign(attacker, key, 1, 3, nowSeconds() + 600, "three".getBytes());
    byte[] tampered = "THREE".getBytes();
    SignedRecord forged = SignedRecord.of(key, v3.publisher(), 1, 3, v3.expiresAtSeconds(), tampered,
        v3.signature());
    assertEquals(ErrorCode.BAD_SIGNATURE, refusal(new Message.Store(4, Optional.empty(), token, forged)));

    SignedRecord expired = SignedRecord.sign(attacker, key, 1, 4, nowSeconds() - 1, "old".getBytes());
    assertEquals(ErrorCode.EXPIRED, refusal(new Message.Store(5, Optional.empty(), token, expired)));

    SignedRecord tooFar = SignedRecord.sign(attacker, key, 1, 5, nowSeconds() + 10 * 86_400, "far".getBytes());
    assertEquals(ErrorCode.EXPIRY_TOO_FAR, refusal(new Message.Store(6, Optional.empty(), token, tooFar)));

    List<SignedRecord> stored = cluster.await(node.storedRecords(), 10);
    assertEquals(List.of(v2), stored, "only the first valid record is stored");
    // A reader verifies again: the forged record never reaches anyone as valid.
    GetResult got = cluster.await(cluster.nodes().get(3).get(key), 60_000);
    assertEquals(List.of(v2), got.records());
  }

  @Test
  void aClaimedKeyIsNotEnoughToEnterTheRoutingTable() {
    // The raw socket claims the attacker's key in a request but cannot answer the node's challenge correctly.
    NodeStats before = stats();
    received.clear();
    send(MessageCodec.encode(new Message.FindNode(1, Optional.of(attacker.publicKey()), Optional.empty(),
        NodeId.random(random))));
    Message.Ping challenge = (Message.Ping) received.stream()
        .filter(m -> m instanceof Message.Ping).findFirst().orElseThrow(() -> new AssertionError("no challenge"));
    assertTrue(challenge.challenge().isPresent());
    byte[] wrongSignature = attacker.sign("not the challenge".getBytes());
    send(MessageCodec.encode(new Message.Pong(challenge.txId(), attacker.publicKey(),
        Optional.of(Blob.of(wrongSignature)), node.address())));
    NodeStats after = stats();
    assertEquals(before.routingTableSize(), after.routingTableSize());
    assertEquals(1, after.get(Counter.PROOFS_FAILED));
    assertFalse(cluster.await(node.contacts(), 10).stream().anyMatch(c -> c.id().equals(attacker.nodeId())));
  }

  @Test
  void aProvenKeyEntersTheRoutingTable() {
    NodeStats before = stats();
    received.clear();
    send(MessageCodec.encode(new Message.FindNode(1, Optional.of(attacker.publicKey()), Optional.empty(),
        NodeId.random(random))));
    Message.Ping challenge = (Message.Ping) received.stream()
        .filter(m -> m instanceof Message.Ping).findFirst().orElseThrow();
    byte[] proof = org.dialtone.dht.crypto.ChallengeProof.sign(attacker, challenge.challenge().get().toArray());
    send(MessageCodec.encode(new Message.Pong(challenge.txId(), attacker.publicKey(), Optional.of(Blob.of(proof)),
        node.address())));
    assertEquals(before.routingTableSize() + 1, stats().routingTableSize());
  }

  private ErrorCode refusal(Message.Request r) {
    return assertInstanceOf(Message.ErrorReply.class, request(r)).code();
  }

  private Blob tokenForRaw(NodeId key) {
    Message.Response r = request(new Message.FindNode(9, Optional.empty(), Optional.empty(), key));
    return assertInstanceOf(Message.Nodes.class, r).token();
  }

  private long nowSeconds() {
    return cluster.scheduler().clock().epochMillis() / 1000;
  }
}
