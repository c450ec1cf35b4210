package org.dialtone.resolver.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.number.JInvariant;

class RecordCodecProperties {
  private static final Identity AGENT = Identity.generate(new Random(1));
  private static final NodeId KEY = NodeId.random(new Random(2));

  @Provide
  Arbitrary<DialNumber> numbers() {
    Arbitrary<Integer> index = Arbitraries.integers().between(1, 5);
    Arbitrary<Integer> shard = Arbitraries.integers().between(0, 999);
    return Combinators.combine(index, shard).as((i, s) -> DialNumber.of(JInvariant.coefficient(i), s));
  }

  private static Arbitrary<List<String>> words() {
    return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-._").ofMinLength(0).ofMaxLength(12)
        .map(w -> "w" + w).list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<AgentInfo> infos() {
    Arbitrary<String> names = Arbitraries.strings().alpha().numeric().withChars(' ', 'é', '-').ofMaxLength(40);
    Arbitrary<List<String>> endpoints = Arbitraries.integers().between(1, 65535)
        .map(port -> "ws://127.0.0.1:" + port).list().ofMaxSize(3);
    return Combinators.combine(names, numbers(), Arbitraries.of(Role.class), words(), words(), endpoints,
            numbers().list().ofMaxSize(5))
        .as((name, number, role, services, interests, eps, ns) ->
            new AgentInfo(AGENT.publicKey(), name, number, role, services, interests, eps, ns, 0, 0));
  }

  private static SignedRecord sign(RecordKind kind, byte[] payload, long seq) {
    return SignedRecord.sign(AGENT, KEY, kind.code(), seq, 2_000_000_000L, payload);
  }

  @Property(tries = 100)
  void agentRecordsRoundTripThroughCborAndVerify(@ForAll("infos") AgentInfo info, @ForAll @IntRange(min = 1) int seq) {
    SignedRecord r = sign(RecordKind.PRESENCE, RecordCodec.encodeAgent(info), seq);
    assertEquals(info.withEnvelope(seq, 2_000_000_000L), RecordCodec.decodeAgent(r).orElseThrow());
  }

  @Property(tries = 100)
  void recordsRoundTripThroughJson(@ForAll("infos") AgentInfo info) {
    SignedRecord r = sign(RecordKind.HOST, RecordCodec.encodeAgent(info), 7);
    SignedRecord back = RecordCodec.fromJson(RecordCodec.toJson(r));
    assertEquals(r, back);
    assertTrue(back.hasValidSignature());
    assertEquals(RecordCodec.decodeAgent(r), RecordCodec.decodeAgent(back));
  }

  @Property(tries = 100)
  void anyChangedPayloadByteMakesTheRecordUnbelievable(
      @ForAll("infos") AgentInfo info, @ForAll @IntRange(min = 0, max = 10_000) int where) {
    byte[] payload = RecordCodec.encodeAgent(info);
    SignedRecord good = sign(RecordKind.PRESENCE, payload, 1);
    byte[] tampered = payload.clone();
    tampered[where % tampered.length] ^= 0x01;
    SignedRecord bad = SignedRecord.of(good.key(), good.publisher(), good.kind(), good.seq(), good.expiresAtSeconds(),
        tampered, good.signature());
    assertTrue(RecordCodec.decodeAgent(bad).isEmpty());
    assertTrue(GossipMessage.of(bad).isEmpty());
  }

  @Property(tries = 100)
  void shareListsRoundTrip(@ForAll("numbers") DialNumber from, @ForAll("numbers") DialNumber recommended) {
    ShareList list = new ShareList(AGENT.publicKey(), "A", from,
        List.of(new Share(recommended, "try it", List.of("crypto"))), 0);
    SignedRecord r = sign(RecordKind.SHARES, RecordCodec.encodeShares(list), 3);
    ShareList back = RecordCodec.decodeShares(r).orElseThrow();
    assertEquals(list.shares(), back.shares());
    assertEquals(from, back.fromNumber());
    assertEquals(GossipType.SHARE, GossipMessage.of(r).orElseThrow().type());
  }

  @Property(tries = 50)
  void badFieldsAreRefusedWhenMade(@ForAll("numbers") DialNumber number) {
    assertThrows(IllegalArgumentException.class, () -> new AgentInfo(AGENT.publicKey(), "x".repeat(65), number,
        Role.MEMBER, List.of(), List.of(), List.of(), List.of(), 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new AgentInfo(AGENT.publicKey(), "A", number,
        Role.MEMBER, List.of("Files"), List.of(), List.of(), List.of(), 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new AgentInfo(AGENT.publicKey(), "A", number,
        Role.MEMBER, List.of(), List.of(), List.of("not a url"), List.of(), 0, 0));
  }

  @Property(tries = 20)
  void aPayloadOverTheLimitIsRefused(@ForAll @IntRange(min = 1, max = 5) int extra) {
    List<DialNumber> many = new java.util.ArrayList<>();
    for (int i = 0; i < 16; i++) {
      many.add(DialNumber.of(JInvariant.coefficient(60 + i), 999));
    }
    AgentInfo big = new AgentInfo(AGENT.publicKey(), "n".repeat(64), many.get(0), Role.HOST,
        List.of("a".repeat(32), "b".repeat(32)), List.of(), List.of("ws://" + "h".repeat(150 + extra)), many, 0, 0);
    assertThrows(IllegalArgumentException.class, () -> RecordCodec.encodeAgent(big));
  }

  @Property(tries = 20)
  void coefficientsAreWhatTheyClaim(@ForAll @IntRange(min = 1, max = 4) int n) {
    BigInteger[] published = {null, BigInteger.valueOf(196884), BigInteger.valueOf(21493760),
        BigInteger.valueOf(864299970L), BigInteger.valueOf(20245856256L)};
    assertEquals(published[n], JInvariant.coefficient(n));
  }
}
