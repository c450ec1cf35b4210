package org.dialtone.dht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.dialtone.dht.crypto.ChallengeProof;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.junit.jupiter.api.Test;

/**
 * The datagram budget: the largest messages the protocol sends, measured. Every worst case uses a txId that needs 8
 * bytes, ports that need 2 and full-size keys, tokens and signatures.
 */
class MessageSizeTest {
  private static final int MAX = Message.MAX_DATAGRAM_BYTES;
  private static final long WORST_TX_ID = Long.MIN_VALUE;
  private static final PublicKey KEY = PublicKey.of(filled(32, 0x11));
  private static final Blob TOKEN = Blob.of(filled(MessageCodec.MAX_TOKEN_BYTES, 0x22));
  private static final Blob SIGNATURE = Blob.of(filled(64, 0x33));

  private static byte[] filled(int size, int value) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) value);
    return b;
  }

  /** A record with every field at its largest encoding, and {@code payload} payload bytes. */
  private static SignedRecord largestRecord(int payload) {
    return SignedRecord.of(NodeId.of(filled(32, 0x44)), KEY, SignedRecord.MAX_KIND, Long.MAX_VALUE, 1L << 40,
        new byte[payload], filled(64, 0x55));
  }

  private static Message.Store largestStore(int payload) {
    return new Message.Store(WORST_TX_ID, Optional.of(KEY), TOKEN, largestRecord(payload));
  }

  private static List<NodeInfo> nodes(int count, int ipBytes) {
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] ip = filled(ipBytes, 0x60 + i);
      nodes.add(new NodeInfo(NodeId.of(filled(32, i)), PeerAddress.of(ip, 65535 - i)));
    }
    return nodes;
  }

  @Test
  void largestRecordEncodingIs1166Bytes() {
    assertEquals(1166, MessageCodec.encodeRecord(largestRecord(SignedRecord.MAX_PAYLOAD_BYTES)).length);
  }

  /**
   * A STORE of a maximum record (1000-byte payload) with the longest token (8 bytes) and the sender's key fits in
   * one datagram, with 5 bytes to spare: the reason tokens are capped at 8 bytes.
   */
  @Test
  void storeOfLargestRecordFits() throws DecodeException {
    Message.Store store = largestStore(SignedRecord.MAX_PAYLOAD_BYTES);
    byte[] bytes = MessageCodec.encode(store);
    System.out.println("STORE, 1000-byte payload, 8-byte token, sender key: " + bytes.length + " bytes");
    assertEquals(MAX - 5, bytes.length);
    assertEquals(store, MessageCodec.decode(bytes));
  }

  @Test
  void valuesWithOneLargestRecordFits() throws DecodeException {
    Message.Values values = new Message.Values(WORST_TX_ID, KEY, Optional.empty(), List.of(), Blob.of(new byte[0]),
        List.of(largestRecord(SignedRecord.MAX_PAYLOAD_BYTES)), Integer.MAX_VALUE, Integer.MAX_VALUE);
    byte[] bytes = MessageCodec.encode(values);
    System.out.println("VALUES, one 1000-byte record, no nodes, no token, no signature: " + bytes.length + " bytes");
    assertEquals(1232, bytes.length);
    assertEquals(values, MessageCodec.decode(bytes));

    // The same reply with a token (the requester asked for nodes) does not fit: the record goes on the next page.
    Message.Values withToken = new Message.Values(WORST_TX_ID, KEY, Optional.empty(), List.of(), TOKEN,
        List.of(largestRecord(SignedRecord.MAX_PAYLOAD_BYTES)), Integer.MAX_VALUE, Integer.MAX_VALUE);
    int size = MessageCodec.encodedSize(withToken);
    System.out.println("VALUES, one 1000-byte record, 8-byte token: " + size + " bytes");
    assertEquals(MAX + 8, size);
  }

  @Test
  void nodesWithTwentyIpv4ContactsFits() throws DecodeException {
    Message.Nodes reply = new Message.Nodes(WORST_TX_ID, KEY, Optional.of(SIGNATURE), nodes(20, 4), TOKEN);
    byte[] bytes = MessageCodec.encode(reply);
    System.out.println("NODES, 20 IPv4 contacts, signature, 8-byte token: " + bytes.length + " bytes");
    assertEquals(989, bytes.length);
    assertEquals(reply, MessageCodec.decode(bytes));
  }

  @Test
  void nodesWithTwentyIpv6ContactsFits() throws DecodeException {
    Message.Nodes reply = new Message.Nodes(WORST_TX_ID, KEY, Optional.of(SIGNATURE), nodes(20, 16), TOKEN);
    byte[] bytes = MessageCodec.encode(reply);
    System.out.println("NODES, 20 IPv6 contacts, signature, 8-byte token: " + bytes.length + " bytes");
    assertEquals(1229, bytes.length);
    assertEquals(reply, MessageCodec.decode(bytes));
  }

  /** A NOTIFY carries a maximum record and the notifier's key, with 15 bytes to spare (no token, unlike STORE). */
  @Test
  void notifyOfLargestRecordFits() throws DecodeException {
    Message.Notify notify = new Message.Notify(WORST_TX_ID, KEY, largestRecord(SignedRecord.MAX_PAYLOAD_BYTES));
    byte[] bytes = MessageCodec.encode(notify);
    System.out.println("NOTIFY, 1000-byte payload, notifier key: " + bytes.length + " bytes");
    assertEquals(MAX - 15, bytes.length);
    assertEquals(notify, MessageCodec.decode(bytes));
  }

  /**
   * A SIGNAL carries the largest envelope (1,100 bytes) and the forwarding node's key within one datagram; its ack
   * is small, and a refusal with the longest message stays within three times the smallest real envelope's SIGNAL.
   */
  @Test
  void signalOfLargestEnvelopeFitsAndItsRepliesAreSmall() throws DecodeException {
    Message.Signal signal = new Message.Signal(WORST_TX_ID, Optional.of(KEY),
        Blob.of(filled(Message.MAX_SIGNAL_BYTES, 0x22)));
    byte[] bytes = MessageCodec.encode(signal);
    System.out.println("SIGNAL, 1100-byte envelope, sender key: " + bytes.length + " bytes");
    assertEquals(1154, bytes.length);
    assertEquals(signal, MessageCodec.decode(bytes));
    Message.SignalAck ack = new Message.SignalAck(WORST_TX_ID, KEY);
    assertEquals(50, MessageCodec.encode(ack).length);
    // the smallest envelope a node checks (no candidates, no payload) is 187 bytes
    int smallest = MessageCodec.encodedSize(new Message.Signal(WORST_TX_ID, Optional.empty(),
        Blob.of(new byte[187])));
    int refusal = MessageCodec.encodedSize(new Message.ErrorReply(WORST_TX_ID, KEY, Optional.empty(),
        org.dialtone.dht.error.ErrorCode.NOT_ATTACHED, "x".repeat(Message.MAX_ERROR_MESSAGE_CHARS)));
    assertTrue(refusal <= 3 * smallest, refusal + " > 3 x " + smallest);
  }

  @Test
  void watchControlMessagesAreSmall() throws DecodeException {
    Message.Subscribe subscribe = new Message.Subscribe(WORST_TX_ID, Optional.of(KEY), NodeId.of(filled(32, 0x44)),
        TOKEN, Integer.MAX_VALUE);
    Message.Subscribed subscribed = new Message.Subscribed(WORST_TX_ID, KEY, Integer.MAX_VALUE);
    Message.NotifyAck ack = new Message.NotifyAck(WORST_TX_ID, KEY);
    for (Message m : List.of(subscribe, subscribed, ack)) {
      byte[] bytes = MessageCodec.encode(m);
      System.out.println(m.getClass().getSimpleName() + ": " + bytes.length + " bytes");
      assertEquals(m, MessageCodec.decode(bytes));
    }
    assertEquals(101, MessageCodec.encode(subscribe).length);
    assertEquals(56, MessageCodec.encode(subscribed).length);
    assertEquals(50, MessageCodec.encode(ack).length);
  }

  /** The worked example in docs/protocol.md; if this changes, so must the document. */
  @Test
  void pingExampleOfProtocolDoc() throws DecodeException {
    // RFC 8032 test vector 1: this seed has the public key d75a9801...
    Identity identity = Identity.fromSeed(
        HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    Blob challenge = Blob.of(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"));
    Message.Ping ping =
        new Message.Ping(0x0123456789abcdefL, Optional.of(identity.publicKey()), Optional.of(challenge));
    byte[] bytes = MessageCodec.encode(ping);
    String hex = HexFormat.of().formatHex(bytes);
    System.out.println("PING example (" + bytes.length + " bytes): " + hex);
    assertEquals("a5" + "0001" + "0101" + "021b0123456789abcdef"
        + "035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        + "0450000102030405060708090a0b0c0d0e0f", hex);
    assertEquals(ping, MessageCodec.decode(bytes));

    Message.Pong pong = new Message.Pong(0x0123456789abcdefL, identity.publicKey(),
        Optional.of(Blob.of(ChallengeProof.sign(identity, challenge.toArray()))),
        PeerAddress.parse("192.0.2.7:7440"));
    byte[] pongBytes = MessageCodec.encode(pong);
    System.out.println("PONG example (" + pongBytes.length + " bytes): " + HexFormat.of().formatHex(pongBytes));
    assertEquals("a6" + "0001" + "0102" + "021b0123456789abcdef"
        + "035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        + "055840" + "4099a1035904638779e1bb2910396be0ea3a856f4ec291da3c00c23eb304476c"
        + "2e896127690ef818caa04b3358a0b564ef959b96fed4bf616350a06684dfcc01"
        + "0d82" + "44c0000207" + "191d10", HexFormat.of().formatHex(pongBytes));
    assertEquals(pong, MessageCodec.decode(pongBytes));
    assertArrayEquals(pongBytes, MessageCodec.encode(MessageCodec.decode(pongBytes)));
  }
}
