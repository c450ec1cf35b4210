package org.dialtone.dht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.dialtone.dht.codec.CborException;
import org.dialtone.dht.codec.CborException.Rule;
import org.dialtone.dht.codec.CborValue;
import org.dialtone.dht.codec.CborValue.Flaw;
import org.dialtone.dht.codec.CborWriter;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.wire.DecodeException.Reason;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final int MAX = Message.MAX_DATAGRAM_BYTES;

  // ---------------------------------------------------------------------------------------------------------------
  // Arbitraries

  private static Arbitrary<byte[]> bytes(int size) {
    return Arbitraries.bytes().array(byte[].class).ofSize(size);
  }

  private static Arbitrary<byte[]> bytes(int min, int max) {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
  }

  private static <T> Arbitrary<Optional<T>> optional(Arbitrary<T> present) {
    return Arbitraries.oneOf(Arbitraries.just(Optional.<T>empty()), present.map(Optional::of));
  }

  private static Arbitrary<Long> txIds() {
    return Arbitraries.longs();
  }

  private static Arbitrary<PublicKey> publicKeys() {
    return bytes(32).map(PublicKey::of);
  }

  private static Arbitrary<NodeId> nodeIds() {
    return bytes(32).map(NodeId::of);
  }

  private static Arbitrary<Blob> challenges() {
    return bytes(Message.CHALLENGE_BYTES).map(Blob::of);
  }

  private static Arbitrary<Blob> signatures() {
    return bytes(64).map(Blob::of);
  }

  private static Arbitrary<Blob> tokens() {
    return bytes(0, MessageCodec.MAX_TOKEN_BYTES).map(Blob::of);
  }

  private static Arbitrary<PeerAddress> addresses() {
    Arbitrary<byte[]> ips = Arbitraries.oneOf(bytes(4), bytes(16));
    return Combinators.combine(ips, Arbitraries.integers().between(0, 65535)).as(PeerAddress::of);
  }

  private static Arbitrary<NodeInfo> nodeInfos() {
    return Combinators.combine(nodeIds(), addresses()).as(NodeInfo::new);
  }

  static Arbitrary<SignedRecord> records(int maxPayload) {
    return Combinators.combine(
            nodeIds(),
            publicKeys(),
            Arbitraries.integers().between(0, SignedRecord.MAX_KIND),
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            bytes(0, maxPayload),
            bytes(64))
        .as(SignedRecord::of);
  }

  private static Arbitrary<String> texts() {
    // Well-formed UTF-16 only: unpaired surrogates are replaced on encoding (see wellFormedErrorText).
    return Arbitraries.strings()
        .withCharRange('\u0000', '\uD7FF')
        .withCharRange('\uE000', '\uFFFF')
        .ofMaxLength(Message.MAX_ERROR_MESSAGE_CHARS);
  }

  @Provide
  Arbitrary<Message> messages() {
    Arbitrary<Message> ping = Combinators.combine(txIds(), optional(publicKeys()), optional(challenges()))
        .as(Message.Ping::new);
    Arbitrary<Message> pong = Combinators.combine(txIds(), publicKeys(), optional(signatures()), addresses())
        .as(Message.Pong::new);
    Arbitrary<Message> findNode =
        Combinators.combine(txIds(), optional(publicKeys()), optional(challenges()), nodeIds())
            .as(Message.FindNode::new);
    Arbitrary<Message> nodes = Combinators.combine(
            txIds(), publicKeys(), optional(signatures()), nodeInfos().list().ofMaxSize(20), tokens())
        .as(Message.Nodes::new);
    Arbitrary<Message> findValue = Combinators.combine(
            txIds(),
            optional(publicKeys()),
            optional(challenges()),
            nodeIds(),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.of(true, false))
        .as(Message.FindValue::new);
    Arbitrary<Message> values = Combinators.combine(
            txIds(),
            publicKeys(),
            optional(signatures()),
            nodeInfos().list().ofMaxSize(8),
            tokens(),
            records(200).list().ofMaxSize(3),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.integers().between(0, Integer.MAX_VALUE))
        .as(Message.Values::new);
    Arbitrary<Message> store = Combinators.combine(
            txIds(), optional(publicKeys()), tokens(), records(SignedRecord.MAX_PAYLOAD_BYTES))
        .as(Message.Store::new);
    Arbitrary<Message> storeAck = Combinators.combine(txIds(), publicKeys(), optional(signatures()))
        .as(Message.StoreAck::new);
    Arbitrary<Message> error = Combinators.combine(
            txIds(), publicKeys(), optional(signatures()), Arbitraries.of(ErrorCode.class), texts())
        .as(Message.ErrorReply::new);
    Arbitrary<Integer> ttls = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, Integer.MAX_VALUE));
    Arbitrary<Message> subscribe = Combinators.combine(txIds(), optional(publicKeys()), nodeIds(), tokens(), ttls)
        .as(Message.Subscribe::new);
    Arbitrary<Message> subscribed = Combinators.combine(txIds(), publicKeys(), ttls).as(Message.Subscribed::new);
    Arbitrary<Message> notify = Combinators.combine(txIds(), publicKeys(), records(SignedRecord.MAX_PAYLOAD_BYTES))
        .as(Message.Notify::new);
    Arbitrary<Message> notifyAck = Combinators.combine(txIds(), publicKeys()).as(Message.NotifyAck::new);
    Arbitrary<Message> signal = Combinators.combine(txIds(), optional(publicKeys()),
            bytes(Message.MIN_SIGNAL_BYTES, Message.MAX_SIGNAL_BYTES).map(Blob::of))
        .as(Message.Signal::new);
    Arbitrary<Message> signalAck = Combinators.combine(txIds(), publicKeys()).as(Message.SignalAck::new);
    return Arbitraries.oneOf(List.of(ping, pong, findNode, nodes, findValue, values, store, storeAck, error,
            subscribe, subscribed, notify, notifyAck, signal, signalAck))
        .filter(m -> MessageCodec.encodedSize(m) <= MAX);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Properties

  @Property(tries = 1000)
  void everyMessageRoundTrips(@ForAll("messages") Message m) throws DecodeException {
    byte[] bytes = MessageCodec.encode(m);
    assertTrue(bytes.length <= MAX);
    assertEquals(m, MessageCodec.decode(bytes));
    assertEquals(bytes.length, MessageCodec.encodedSize(m));
  }

  @Property(tries = 300)
  void everyRecordRoundTrips(@ForAll("anyRecord") SignedRecord r) throws DecodeException {
    assertEquals(r, MessageCodec.decodeRecord(MessageCodec.encodeRecord(r)));
  }

  @Provide
  Arbitrary<SignedRecord> anyRecord() {
    return records(SignedRecord.MAX_PAYLOAD_BYTES);
  }

  @Property(tries = 1000)
  void randomBytesOnlyEverThrowDecodeException(@ForAll("randomDatagrams") byte[] datagram) {
    decodeSafely(datagram);
    recordDecodeSafely(datagram);
  }

  @Provide
  Arbitrary<byte[]> randomDatagrams() {
    return bytes(0, 1500);
  }

  @Property(tries = 2000)
  void mutatedEncodingsOnlyEverThrowDecodeException(@ForAll("messages") Message m, @ForAll Random random) {
    byte[] mutated = mutate(MessageCodec.encode(m), random);
    decodeSafely(mutated);
  }

  @Property(tries = 500)
  void mutatedRecordsOnlyEverThrowDecodeException(@ForAll("anyRecord") SignedRecord r, @ForAll Random random) {
    recordDecodeSafely(mutate(MessageCodec.encodeRecord(r), random));
  }

  /** Bytes that mean something in CBOR headers: lengths, indefinite markers, breaks, tags, floats, simple values. */
  private static final int[] INTERESTING = {
    0x00, 0x01, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1f, 0x20, 0x38, 0x3b, 0x40, 0x58, 0x59, 0x5a, 0x5b, 0x5f, 0x60,
    0x78, 0x7b, 0x7f, 0x80, 0x98, 0x9b, 0x9f, 0xa0, 0xb8, 0xbb, 0xbf, 0xc2, 0xc3, 0xd8, 0xd9, 0xf4, 0xf5, 0xf6, 0xf7,
    0xf8, 0xf9, 0xfa, 0xfb, 0xff
  };

  private static byte[] mutate(byte[] bytes, Random random) {
    byte[] b = bytes;
    int rounds = 1 + random.nextInt(4);
    for (int i = 0; i < rounds; i++) {
      int at = b.length == 0 ? 0 : random.nextInt(b.length);
      switch (random.nextInt(7)) {
        case 0 -> { // flip a bit
          if (b.length > 0) {
            b = b.clone();
            b[at] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> { // overwrite with a CBOR-meaningful byte
          if (b.length > 0) {
            b = b.clone();
            b[at] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
          }
        }
        case 2 -> b = Arrays.copyOf(b, at); // truncate
        case 3 -> { // append random bytes
          byte[] extra = new byte[1 + random.nextInt(40)];
          random.nextBytes(extra);
          byte[] c = Arrays.copyOf(b, b.length + extra.length);
          System.arraycopy(extra, 0, c, b.length, extra.length);
          b = c;
        }
        case 4 -> { // insert an interesting byte
          byte[] c = new byte[b.length + 1];
          System.arraycopy(b, 0, c, 0, at);
          c[at] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
          System.arraycopy(b, at, c, at + 1, b.length - at);
          b = c;
        }
        case 5 -> { // delete a byte
          if (b.length > 0) {
            byte[] c = new byte[b.length - 1];
            System.arraycopy(b, 0, c, 0, at);
            System.arraycopy(b, at + 1, c, at, b.length - at - 1);
            b = c;
          }
        }
        default -> { // overwrite with a random byte
          if (b.length > 0) {
            b = b.clone();
            b[at] = (byte) random.nextInt(256);
          }
        }
      }
    }
    return b;
  }

  /** Decodes, accepting only a message or a DecodeException; a decoded message must survive a round trip. */
  private static void decodeSafely(byte[] datagram) {
    Message m;
    try {
      m = MessageCodec.decode(datagram);
    } catch (DecodeException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("decode threw " + e + " for " + HEX.formatHex(datagram), e);
    }
    try {
      assertEquals(m, MessageCodec.decode(MessageCodec.encode(m)));
    } catch (DecodeException | RuntimeException e) {
      throw new AssertionError("decoded " + m + " from " + HEX.formatHex(datagram) + " but it does not re-encode", e);
    }
  }

  private static void recordDecodeSafely(byte[] bytes) {
    try {
      SignedRecord r = MessageCodec.decodeRecord(bytes);
      assertEquals(r, MessageCodec.decodeRecord(MessageCodec.encodeRecord(r)));
    } catch (DecodeException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
    } catch (RuntimeException e) {
      throw new AssertionError("decodeRecord threw " + e + " for " + HEX.formatHex(bytes), e);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Hand-made inputs

  /** Bytes to put into a hand-made map as they are (an encoded record, a deliberately flawed item). */
  private record Raw(byte[] bytes) {}

  private static Raw raw(String hex) {
    return new Raw(HEX.parseHex(hex));
  }

  private static Raw raw(byte[] bytes) {
    return new Raw(bytes);
  }

  /** One item: a number, byte string, text, boolean, list (an array of items) or {@link Raw} bytes. */
  private static byte[] item(Object o) {
    if (o instanceof Raw r) {
      return r.bytes();
    }
    CborWriter w = new CborWriter(16);
    if (o instanceof Number n) {
      w.integer(n.longValue());
    } else if (o instanceof byte[] b) {
      w.bytes(b);
    } else if (o instanceof String t) {
      w.text(t);
    } else if (o instanceof Boolean b) {
      w.bool(b);
    } else if (o instanceof List<?> list) {
      w.array(list.size());
      byte[] head = w.toByteArray();
      return concat(head, concat(list.stream().map(MessageCodecTest::item).toArray(byte[][]::new)));
    } else {
      throw new IllegalArgumentException("no item for " + o);
    }
    return w.toByteArray();
  }

  /** A definite-length map of {@code keyValues} (key, value, key, value...), in the order given. */
  private static byte[] map(Object... keyValues) {
    CborWriter w = new CborWriter(8);
    w.map(keyValues.length / 2);
    return concat(w.toByteArray(), concat(Arrays.stream(keyValues).map(MessageCodecTest::item).toArray(byte[][]::new)));
  }

  /** A map with version 1, {@code type} and txId 42, then {@code rest} (keys above 2, ascending). */
  private static byte[] message(int type, Object... rest) {
    Object[] all = new Object[6 + rest.length];
    System.arraycopy(new Object[] {0, 1, 1, type, 2, 42}, 0, all, 0, 6);
    System.arraycopy(rest, 0, all, 6, rest.length);
    return map(all);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static DecodeException decodeFails(byte[] bytes, Reason reason) {
    DecodeException e = assertThrows(DecodeException.class, () -> MessageCodec.decode(bytes));
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  /** Decoding fails as MALFORMED because the bytes break {@code rule} of the CBOR subset. */
  private static DecodeException outsideTheSubset(byte[] bytes, Rule rule) {
    DecodeException e = decodeFails(bytes, Reason.MALFORMED);
    assertEquals(Optional.of(rule), e.violation(), e.getMessage());
    return e;
  }

  private static final byte[] KEY = HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

  @Test
  void integerKeysDecode() throws DecodeException {
    // {0: 1, 1: 1, 2: 7} written by hand: a PING from a client, the smallest message there is.
    assertEquals(new Message.Ping(7, Optional.empty(), Optional.empty()),
        MessageCodec.decode(HEX.parseHex("a3000101010207")));
    assertArrayEquals(HEX.parseHex("a3000101010207"),
        MessageCodec.encode(new Message.Ping(7, Optional.empty(), Optional.empty())));
  }

  @Test
  void onlyTheDeterministicEncodingDecodes() throws DecodeException {
    // FIND_NODE {0: 1, 1: 3, 2: -5, 6: 32 zero bytes} in its one encoding...
    String target = "065820" + "00".repeat(32);
    assertEquals(new Message.FindNode(-5, Optional.empty(), Optional.empty(), NodeId.zero()),
        MessageCodec.decode(HEX.parseHex("a4" + "0001" + "0103" + "0224" + target)));
    // ...and the same map with its keys out of order, of indefinite length, with an integer written long, with the
    // target in chunks, with the version tagged: the variants a tolerant decoder would have read.
    outsideTheSubset(HEX.parseHex("a4" + "0103" + "0001" + "0224" + target), Rule.KEYS_OUT_OF_ORDER);
    outsideTheSubset(HEX.parseHex("bf" + "0001" + "0103" + "0224" + target + "ff"), Rule.INDEFINITE_LENGTH);
    outsideTheSubset(HEX.parseHex("a4" + "0001" + "0103" + "023804" + target), Rule.NOT_SHORTEST);
    outsideTheSubset(HEX.parseHex("a4" + "001801" + "0103" + "0224" + target), Rule.NOT_SHORTEST);
    outsideTheSubset(HEX.parseHex("a4" + "0001" + "0103" + "0224" + "065f5820" + "00".repeat(32) + "ff"),
        Rule.INDEFINITE_LENGTH);
    outsideTheSubset(HEX.parseHex("a4" + "00c101" + "0103" + "0224" + target), Rule.TAG);
  }

  @Property(tries = 2000)
  void everyFlawInAMessageIsMalformedWithItsRule(
      @ForAll("messages") Message m, @ForAll Flaw flaw, @ForAll @IntRange(min = 0, max = 1000) int seed)
      throws CborException {
    CborValue model = CborValue.read(MessageCodec.encode(m), MessageCodec.MAX_DEPTH);
    byte[] flawed;
    if (flaw == Flaw.DEEP || flaw == Flaw.BAD_UTF8) {
      // Known fields have shapes of their own (an array where bytes belong is BAD_FIELD), so these two go into the
      // value of an unknown key, the last node of the message.
      List<CborValue.Entry> entries = new ArrayList<>(((CborValue.MapV) model).entries());
      entries.add(new CborValue.Entry(new CborValue.UInt(100), new CborValue.Text("ok")));
      CborValue extended = new CborValue.MapV(entries);
      flawed = extended.encode(flaw, extended.places(flaw) - 1, seed);
    } else {
      int places = model.places(flaw);
      Assume.that(places > 0);
      flawed = model.encode(flaw, seed % places, seed);
    }
    Assume.that(flawed.length <= MAX);
    outsideTheSubset(flawed, flaw.rule());
  }

  @Test
  void oversizeIsRefusedBeforeParsing() {
    DecodeException e = decodeFails(new byte[MAX + 1], Reason.TOO_LARGE);
    assertEquals("datagram is 1233 bytes, at most 1232 are accepted", e.getMessage());
    assertEquals(Reason.TOO_LARGE, assertThrows(DecodeException.class,
        () -> MessageCodec.decodeRecord(new byte[MAX + 1])).reason());
  }

  @Test
  void unknownVersionIsUnsupported() {
    DecodeException e = decodeFails(map(0, 2, 1, 1, 2, 42), Reason.UNSUPPORTED_VERSION);
    assertEquals(ErrorCode.UNSUPPORTED_VERSION, e.errorCode());
    // The version is checked before anything after it, so a future version may change the rest freely.
    decodeFails(map(0, 2, 1, "not a type"), Reason.UNSUPPORTED_VERSION);
  }

  @Test
  void unknownTypeIsUnknown() {
    DecodeException e = decodeFails(message(99), Reason.UNKNOWN_TYPE);
    assertEquals("unknown message type 99", e.getMessage());
    assertEquals(ErrorCode.MALFORMED, e.errorCode());
    decodeFails(message(0), Reason.UNKNOWN_TYPE);
  }

  @Test
  void missingFieldsAreNamed() {
    decodeFails(map(0, 1, 1, 1), Reason.MISSING_FIELD);
    decodeFails(map(1, 1, 2, 1), Reason.MISSING_FIELD);
    DecodeException e = decodeFails(message(3), Reason.MISSING_FIELD);
    assertEquals("FIND_NODE: field 6 (target) is missing", e.getMessage());
    e = decodeFails(message(2, 3, KEY), Reason.MISSING_FIELD);
    assertEquals("PONG: field 13 (observed) is missing", e.getMessage());
    e = decodeFails(message(8), Reason.MISSING_FIELD);
    assertEquals("STORE_ACK: field 3 (responder) is missing", e.getMessage());
  }

  @Test
  void watchMessagesAreCheckedLikeTheOthers() throws DecodeException {
    DecodeException e = decodeFails(message(10, 6, new byte[32], 8, new byte[8]), Reason.MISSING_FIELD);
    assertEquals("SUBSCRIBE: field 17 (ttl) is missing", e.getMessage());
    e = decodeFails(message(10, 8, new byte[8], 17, 60), Reason.MISSING_FIELD);
    assertEquals("SUBSCRIBE: field 6 (key) is missing", e.getMessage());
    e = decodeFails(message(11, 3, KEY), Reason.MISSING_FIELD);
    assertEquals("SUBSCRIBED: field 17 (ttl) is missing", e.getMessage());
    SignedRecord r = SignedRecord.of(NodeId.zero(), PublicKey.of(KEY), 7, 1, 2, new byte[] {1}, new byte[64]);
    e = decodeFails(concat(HEX.parseHex("a4" + "0001" + "010c" + "0201" + "10"), MessageCodec.encodeRecord(r)),
        Reason.MISSING_FIELD);
    assertEquals("NOTIFY: field 3 (sender) is missing", e.getMessage());
    e = decodeFails(message(13), Reason.MISSING_FIELD);
    assertEquals("NOTIFY_ACK: field 3 (responder) is missing", e.getMessage());
    // The ttl is an unsigned int below 2^31, in every message type (a PING ignores it, but it must have its shape).
    e = decodeFails(message(11, 3, KEY, 17, -1), Reason.BAD_FIELD);
    assertEquals("field 17 (ttl): expected an unsigned integer, got a negative integer", e.getMessage());
    decodeFails(message(11, 3, KEY, 17, 1L << 31), Reason.BAD_FIELD);
    decodeFails(message(1, 17, new byte[1]), Reason.BAD_FIELD);
    assertEquals(new Message.Ping(42, Optional.empty(), Optional.empty()), MessageCodec.decode(message(1, 17, 5)));
    // A SUBSCRIBE's key names itself as a key, a NOTIFY's sender as a sender.
    e = decodeFails(message(10, 6, new byte[31]), Reason.BAD_FIELD);
    assertEquals("field 6 (key): expected 32 bytes, got 31", e.getMessage());
    e = decodeFails(message(12, 3, new byte[31]), Reason.BAD_FIELD);
    assertEquals("field 3 (sender): expected 32 bytes, got 31", e.getMessage());
    decodeFails(message(16), Reason.UNKNOWN_TYPE);
    // A SIGNAL's envelope is 64..1100 bytes: the smallest still has room to be answered within 3x.
    e = decodeFails(message(14, 19, new byte[63]), Reason.BAD_FIELD);
    assertEquals("field 19 (signal): expected 64..1100 bytes, got 63", e.getMessage());
    decodeFails(message(14, 19, new byte[1101]), Reason.BAD_FIELD);
  }

  @Test
  void wrongLengthTargetIsBadField() {
    DecodeException e = decodeFails(message(3, 6, new byte[31]), Reason.BAD_FIELD);
    assertEquals("field 6 (target): expected 32 bytes, got 31", e.getMessage());
    e = decodeFails(message(5, 6, new byte[33]), Reason.BAD_FIELD);
    assertEquals("field 6 (key): expected 32 bytes, got 33", e.getMessage());
  }

  @Test
  void badFieldsAreRefused() {
    // A text string where a byte string belongs.
    decodeFails(message(3, 6, "0123456789abcdef0123456789abcdef"), Reason.BAD_FIELD);
    // A challenge of the wrong size, a short key.
    decodeFails(message(1, 4, new byte[15]), Reason.BAD_FIELD);
    decodeFails(message(1, 3, new byte[31]), Reason.BAD_FIELD);
    // A negative number where an unsigned one belongs; a number too big for an int offset.
    decodeFails(message(5, 11, -1), Reason.BAD_FIELD);
    decodeFails(message(5, 11, 1L << 31), Reason.BAD_FIELD);
    // A txId beyond 64 bits: uint 2^64 - 1, and -2^64.
    decodeFails(HEX.parseHex("a30001010102" + "1bffffffffffffffff"), Reason.BAD_FIELD);
    decodeFails(HEX.parseHex("a30001010102" + "3bffffffffffffffff"), Reason.BAD_FIELD);
    // A float and a tagged value (tag 2: bignum) are outside the subset wherever they are.
    outsideTheSubset(HEX.parseHex("a30001010102" + "fb3ff0000000000000"), Rule.FLOAT);
    outsideTheSubset(HEX.parseHex("a30001010102" + "c24101"), Rule.TAG);
    // wantNodes as 1 instead of true.
    decodeFails(message(5, 12, 1), Reason.BAD_FIELD);
    // Observed addresses: a 5-byte ip, port 65536, three elements, one element.
    decodeFails(message(2, 13, List.of(new byte[5], 1)), Reason.BAD_FIELD);
    decodeFails(message(2, 13, List.of(new byte[4], 65536)), Reason.BAD_FIELD);
    decodeFails(message(2, 13, List.of(new byte[4], 1, 1)), Reason.BAD_FIELD);
    decodeFails(message(2, 13, List.of(new byte[4])), Reason.BAD_FIELD);
    // A node entry of two elements.
    decodeFails(message(4, 3, KEY, 7, List.of(List.of(new byte[32], new byte[4])), 8, new byte[0]), Reason.BAD_FIELD);
    // A token one byte too long; an unknown error code; an error message of 201 characters.
    decodeFails(message(4, 3, KEY, 8, new byte[MessageCodec.MAX_TOKEN_BYTES + 1]), Reason.BAD_FIELD);
    DecodeException e = decodeFails(message(9, 3, KEY, 14, 999), Reason.BAD_FIELD);
    assertEquals("field 14 (error code): unknown error code 999", e.getMessage());
    decodeFails(message(9, 3, KEY, 14, 20, 15, "x".repeat(201)), Reason.BAD_FIELD);
  }

  @Test
  void duplicateKeysAreMalformed() {
    outsideTheSubset(message(1, 2, 43), Rule.DUPLICATE_KEY);
    // Duplicates are refused among unknown keys too, and inside nested maps.
    outsideTheSubset(message(1, 99, 1, 99, 2), Rule.DUPLICATE_KEY);
    outsideTheSubset(message(1, 99, raw(map(1, 1, 1, 1))), Rule.DUPLICATE_KEY);
  }

  @Test
  void textKeysAreMalformed() {
    // "2" as a text key is not the integer key 2.
    outsideTheSubset(HEX.parseHex("a3000101016132" + "07"), Rule.KEY_NOT_INTEGER);
    outsideTheSubset(HEX.parseHex("a400010101020763666f6f01"), Rule.KEY_NOT_INTEGER);
    // A byte-string key; a text key inside the value of an unknown key.
    outsideTheSubset(HEX.parseHex("a3000101014132" + "07"), Rule.KEY_NOT_INTEGER);
    outsideTheSubset(message(1, 99, raw(map("k", 1))), Rule.KEY_NOT_INTEGER);
  }

  @Test
  void unknownFieldsAreIgnored() throws DecodeException {
    Message.Ping expected = new Message.Ping(42, Optional.empty(), Optional.empty());
    assertEquals(expected, MessageCodec.decode(message(1, 99, 7)));
    // Unknown values of every shape in the subset are skipped correctly, nested ones included.
    byte[] bytes = message(1,
        18, new byte[3],
        99, List.of(raw(map(1, List.of("x", new byte[100]), 2, raw(map()))), true),
        100, false,
        1000, raw(map()),
        -4, 1);
    assertEquals(expected, MessageCodec.decode(bytes));
    // A key defined for other types is ignored too (a challenge on a STORE).
    Message.Store store = new Message.Store(1, Optional.empty(), Blob.of(new byte[0]),
        SignedRecord.of(NodeId.zero(), PublicKey.of(KEY), 1, 1, 1, new byte[0], new byte[64]));
    byte[] full = concat(
        HEX.parseHex("a6" + "0001" + "0107" + "0201" + "0450" + "00".repeat(16) + "0840" + "10"),
        MessageCodec.encodeRecord(store.record()));
    assertEquals(store, MessageCodec.decode(full));
    // But an unknown value must still be in the subset.
    outsideTheSubset(message(1, 99, raw("f93c00")), Rule.FLOAT);
    outsideTheSubset(message(1, 99, raw("f6")), Rule.SIMPLE_VALUE);
    outsideTheSubset(message(1, 99, raw("9f01ff")), Rule.INDEFINITE_LENGTH);
    outsideTheSubset(message(1, 99, raw("62c080")), Rule.INVALID_UTF8);
  }

  @Test
  void tooDeepNestingIsMalformed() {
    outsideTheSubset(message(1, 99, raw("81".repeat(9) + "80")), Rule.TOO_DEEP);
    // 1000 nested arrays fit in a datagram; they must not exhaust anything.
    byte[] deep = new byte[1007];
    System.arraycopy(HEX.parseHex("a40001010102071863"), 0, deep, 0, 9);
    Arrays.fill(deep, 9, deep.length, (byte) 0x81);
    outsideTheSubset(deep, Rule.TOO_DEEP);
  }

  @Test
  void trailingBytesAreMalformed() {
    byte[] ping = MessageCodec.encode(new Message.Ping(1, Optional.empty(), Optional.empty()));
    outsideTheSubset(Arrays.copyOf(ping, ping.length + 1), Rule.TRAILING_BYTES);
    byte[] twice = Arrays.copyOf(ping, ping.length * 2);
    System.arraycopy(ping, 0, twice, ping.length, ping.length);
    outsideTheSubset(twice, Rule.TRAILING_BYTES);
    byte[] withGarbage = Arrays.copyOf(ping, ping.length + 3);
    withGarbage[ping.length] = (byte) 0xff;
    outsideTheSubset(withGarbage, Rule.TRAILING_BYTES);
  }

  @Test
  void emptyAndNonMapInputsAreMalformed() {
    decodeFails(new byte[0], Reason.MALFORMED);
    decodeFails(HEX.parseHex("00"), Reason.MALFORMED);
    decodeFails(HEX.parseHex("80"), Reason.MALFORMED);
    decodeFails(HEX.parseHex("a0"), Reason.MISSING_FIELD);
    // The self-describe tag is not part of the format.
    outsideTheSubset(HEX.parseHex("d9d9f7a3000101010207"), Rule.TAG);
  }

  @Test
  void truncatedInputIsMalformed() {
    byte[] bytes = MessageCodec.encode(new Message.FindNode(
        -1, Optional.of(PublicKey.of(KEY)), Optional.of(Blob.of(new byte[16])), NodeId.zero()));
    for (int n = 1; n < bytes.length; n++) {
      outsideTheSubset(Arrays.copyOf(bytes, n), Rule.TRUNCATED);
    }
  }

  @Test
  void hugeDeclaredLengthsFailCleanly() {
    // A byte string that claims 2^62 bytes, a map that claims 2^32 entries, an array that claims 2^62 elements.
    outsideTheSubset(HEX.parseHex("a4000101010207065b4000000000000000"), Rule.TRUNCATED);
    outsideTheSubset(HEX.parseHex("bb0000000100000000000101"), Rule.TRUNCATED);
    outsideTheSubset(HEX.parseHex("a4000101010207" + "1863" + "9b4000000000000000"), Rule.TRUNCATED);
    // A map of four entries in five bytes.
    outsideTheSubset(HEX.parseHex("a47a80000000"), Rule.TRUNCATED);
  }

  @Test
  void recordFieldsAreChecked() {
    SignedRecord r = SignedRecord.of(NodeId.zero(), PublicKey.of(KEY), 7, 1, 2, new byte[] {1, 2, 3}, new byte[64]);
    byte[] good = MessageCodec.encodeRecord(r);
    assertEquals(Reason.MALFORMED, assertThrows(DecodeException.class,
        () -> MessageCodec.decodeRecord(Arrays.copyOf(good, good.length + 1))).reason());
    byte[] noSignature = map(0, new byte[32], 1, KEY, 2, 7, 3, 1, 4, 2, 5, new byte[0]);
    DecodeException e = assertThrows(DecodeException.class, () -> MessageCodec.decodeRecord(noSignature));
    assertEquals(Reason.MISSING_FIELD, e.reason());
    assertEquals("record: field 6 (signature) is missing", e.getMessage());
    byte[] bigKind = map(0, new byte[32], 1, KEY, 2, 65536, 3, 1, 4, 2, 5, new byte[0], 6, new byte[64]);
    e = assertThrows(DecodeException.class, () -> MessageCodec.decodeRecord(bigKind));
    assertEquals(Reason.BAD_FIELD, e.reason());
    assertEquals("record > field 2 (kind): expected at most 65535, got 65536", e.getMessage());
    byte[] bigPayload = map(5, new byte[1001]);
    e = assertThrows(DecodeException.class, () -> MessageCodec.decodeRecord(bigPayload));
    assertEquals("record > field 5 (payload): expected 0..1000 bytes, got 1001", e.getMessage());
    // Inside a VALUES reply the path says which record.
    byte[] values = concat(
        HEX.parseHex("a8" + "0001" + "0106" + "0201" + "035820" + HEX.formatHex(KEY) + "0840" + "0982"),
        good,
        bigKind,
        HEX.parseHex("0a02" + "0b00"));
    e = decodeFails(values, Reason.BAD_FIELD);
    assertEquals("field 9 (records)[1] > field 2 (kind): expected at most 65535, got 65536", e.getMessage());
  }

  @Test
  void errorTextMustBeValidUtf8() throws DecodeException {
    String head = "a6000101090201035820" + HEX.formatHex(KEY) + "0e140f";
    // Overlong NUL, overlong 3-byte NUL, a code point above U+10FFFF, an encoded surrogate, a bare continuation byte.
    for (String text : List.of("62c080", "63e08080", "64f4908080", "63eda080", "6180")) {
      DecodeException e = outsideTheSubset(HEX.parseHex(head + text), Rule.INVALID_UTF8);
      assertEquals("field 15 (error message): not valid UTF-8", e.getMessage());
    }
    Message ok = MessageCodec.decode(HEX.parseHex(head + "64" + "68c3a921"));
    assertEquals("h\u00e9!", ((Message.ErrorReply) ok).message());
    // Text in chunks is an indefinite-length string: outside the subset, however valid the chunks.
    outsideTheSubset(HEX.parseHex(head + "7f" + "6168" + "62c3a9" + "6121" + "ff"), Rule.INDEFINITE_LENGTH);
    outsideTheSubset(HEX.parseHex(head + "65" + "6869"), Rule.TRUNCATED);
  }

  @Test
  void chunkedByteStringsAreMalformed() {
    String chunks = "5f" + "50" + "00".repeat(16) + "50" + "00".repeat(16) + "ff";
    outsideTheSubset(HEX.parseHex("a4000101030201" + "06" + chunks), Rule.INDEFINITE_LENGTH);
  }

  @Test
  void encodeRefusesWhatCannotBeSent() {
    PublicKey key = PublicKey.of(KEY);
    assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(
        new Message.Ping(1, Optional.empty(), Optional.of(Blob.of(new byte[15])))));
    assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(
        new Message.StoreAck(1, key, Optional.of(Blob.of(new byte[63])))));
    assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(
        new Message.Nodes(1, key, Optional.empty(), List.of(), Blob.of(new byte[33]))));
    List<NodeInfo> many = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      many.add(new NodeInfo(NodeId.zero(), PeerAddress.of(new byte[4], i)));
    }
    assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(
        new Message.Nodes(1, key, Optional.empty(), many, Blob.of(new byte[0]))));
  }

  @Test
  void errorTextIsSentAsWellFormedUtf8() throws DecodeException {
    PublicKey key = PublicKey.of(KEY);
    Message.ErrorReply emoji =
        new Message.ErrorReply(1, key, Optional.empty(), ErrorCode.OVERLOADED, "busy \uD83D\uDE00");
    assertEquals(emoji, MessageCodec.decode(MessageCodec.encode(emoji)));
    // An unpaired surrogate (for example from truncating at 200 characters) becomes U+FFFD.
    Message.ErrorReply broken =
        new Message.ErrorReply(1, key, Optional.empty(), ErrorCode.OVERLOADED, "a\uD83Db\uDE00");
    Message.ErrorReply decoded = (Message.ErrorReply) MessageCodec.decode(MessageCodec.encode(broken));
    assertEquals("a\uFFFDb\uFFFD", decoded.message());
    // An empty message is left out of the encoding and decodes as empty.
    Message.ErrorReply empty = new Message.ErrorReply(1, key, Optional.empty(), ErrorCode.CLOSED, "");
    assertEquals(empty, MessageCodec.decode(MessageCodec.encode(empty)));
  }
}
