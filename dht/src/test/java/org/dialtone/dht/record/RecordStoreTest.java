package org.dialtone.dht.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress.Subnet;
import org.junit.jupiter.api.Test;

class RecordStoreTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final long NOW_S = NOW / 1000;
  private static final List<Identity> IDS = identities(6);
  private static final Identity ALICE = IDS.get(0);
  private static final Identity BOB = IDS.get(1);
  private static final NodeId SELF = NodeId.random(new Random(99));
  private static final NodeId KEY = NodeId.random(new Random(100));

  static List<Identity> identities(int n) {
    List<Identity> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Identity.generate(new Random(1000 + i)));
    }
    return List.copyOf(out);
  }

  private static SignedRecord rec(Identity who, NodeId key, long seq, long ttlSeconds, String payload) {
    return SignedRecord.sign(who, key, 1, seq, NOW_S + ttlSeconds, payload.getBytes(StandardCharsets.UTF_8));
  }

  private static SignedRecord rec(Identity who, NodeId key, long seq, long ttlSeconds) {
    return rec(who, key, seq, ttlSeconds, "v" + seq);
  }

  private static RecordStore store() {
    return new RecordStore(SELF, StoreLimits.defaults());
  }

  private static ErrorCode refusal(PutOutcome outcome) {
    return assertInstanceOf(PutOutcome.Refused.class, outcome).code();
  }

  @Test
  void higherSeqReplaces() {
    RecordStore s = store();
    assertEquals(new PutOutcome.Stored(false), s.put(rec(ALICE, KEY, 1, 600), NOW));
    SignedRecord v2 = rec(ALICE, KEY, 2, 600);
    assertEquals(new PutOutcome.Stored(true), s.put(v2, NOW));
    assertEquals(List.of(v2), s.get(KEY, NOW));
    assertEquals(1, s.size());
  }

  @Test
  void equalSeqWithDifferentContentIsRefusedAndStoreUnchanged() {
    RecordStore s = store();
    SignedRecord v5 = rec(ALICE, KEY, 5, 600, "first");
    s.put(v5, NOW);
    assertEquals(ErrorCode.SEQ_TOO_LOW, refusal(s.put(rec(ALICE, KEY, 5, 600, "second"), NOW)));
    assertEquals(ErrorCode.SEQ_TOO_LOW, refusal(s.put(rec(ALICE, KEY, 5, 900, "first"), NOW)));
    assertEquals(List.of(v5), s.get(KEY, NOW));
  }

  @Test
  void lowerSeqIsRefusedWithANamedReason() {
    RecordStore s = store();
    SignedRecord v5 = rec(ALICE, KEY, 5, 600);
    s.put(v5, NOW);
    PutOutcome out = s.put(rec(ALICE, KEY, 3, 600), NOW);
    assertEquals(new PutOutcome.Refused(ErrorCode.SEQ_TOO_LOW, "seq 3 is not above the stored 5"), out);
    assertEquals(List.of(v5), s.get(KEY, NOW));
    assertEquals(1, s.stats().refused());
  }

  @Test
  void identicalRecordIsUnchangedAndCountsAsSuccess() {
    RecordStore s = store();
    SignedRecord r = rec(ALICE, KEY, 1, 600);
    s.put(r, NOW);
    PutOutcome again = s.put(r, NOW + 1000);
    assertEquals(new PutOutcome.Unchanged(), again);
    assertTrue(again.accepted());
    // The same record as received from the wire (another instance) is also unchanged.
    SignedRecord copy = SignedRecord.of(
        r.key(), r.publisher(), r.kind(), r.seq(), r.expiresAtSeconds(), r.payload(), r.signature());
    assertEquals(new PutOutcome.Unchanged(), s.put(copy, NOW));
    assertEquals(1, s.stats().stored());
  }

  @Test
  void forgedRecordsAreRefusedAndStoreUnchanged() {
    RecordStore s = store();
    SignedRecord v1 = rec(ALICE, KEY, 1, 600, "real");
    s.put(v1, NOW);

    SignedRecord zeroSignature = SignedRecord.of(
        KEY, ALICE.publicKey(), 1, 2, NOW_S + 600, "fake".getBytes(StandardCharsets.UTF_8), new byte[64]);
    assertEquals(ErrorCode.BAD_SIGNATURE, refusal(s.put(zeroSignature, NOW)));

    // Bob signs, but claims to be Alice.
    SignedRecord bobs = rec(BOB, KEY, 9, 600, "evil");
    SignedRecord impersonation = SignedRecord.of(
        KEY, ALICE.publicKey(), 1, 9, bobs.expiresAtSeconds(), bobs.payload(), bobs.signature());
    assertEquals(ErrorCode.BAD_SIGNATURE, refusal(s.put(impersonation, NOW)));

    // Alice's real signature over one payload, attached to another (a higher seq, too).
    SignedRecord v2 = rec(ALICE, KEY, 2, 600, "honest");
    SignedRecord tampered = SignedRecord.of(
        KEY, ALICE.publicKey(), 1, 2, v2.expiresAtSeconds(), "tampered".getBytes(StandardCharsets.UTF_8),
        v2.signature());
    assertEquals(ErrorCode.BAD_SIGNATURE, refusal(s.put(tampered, NOW)));
    SignedRecord laterExpiry = SignedRecord.of(
        KEY, ALICE.publicKey(), 1, 2, v2.expiresAtSeconds() + 1, v2.payload(), v2.signature());
    assertEquals(ErrorCode.BAD_SIGNATURE, refusal(s.put(laterExpiry, NOW)));

    assertEquals(List.of(v1), s.get(KEY, NOW));
    assertEquals(new StoreStats(1, 1, 1, 4, 0, 0), s.stats());
  }

  @Test
  void expiredRecordIsRefused() {
    RecordStore s = store();
    assertEquals(ErrorCode.EXPIRED, refusal(s.put(rec(ALICE, KEY, 1, -10), NOW)));
    assertEquals(ErrorCode.EXPIRED, refusal(s.put(rec(ALICE, KEY, 1, 0), NOW)), "expiring now is expired");
    assertEquals(0, s.size());
  }

  @Test
  void expiryBeyondMaxTtlIsRefused() {
    RecordStore s = new RecordStore(SELF, new StoreLimits(10, 100, 3600));
    long skew = SignedRecord.CLOCK_SKEW_TOLERANCE_SECONDS;
    PutOutcome tooFar = s.put(rec(ALICE, KEY, 1, 3601 + skew), NOW);
    assertEquals(ErrorCode.EXPIRY_TOO_FAR, refusal(tooFar));
    assertTrue(((PutOutcome.Refused) tooFar).reason().contains((3601 + skew) + " s from now"));
    assertEquals(new PutOutcome.Stored(false), s.put(rec(ALICE, KEY, 1, 3600 + skew), NOW),
        "a publisher whose clock runs a few seconds fast still gets the largest time to live");
  }

  @Test
  void cheapChecksComeBeforeTheSignature() {
    RecordStore s = store();
    SignedRecord forgedAndExpired = SignedRecord.of(
        KEY, ALICE.publicKey(), 1, 1, NOW_S - 5, new byte[0], new byte[64]);
    assertEquals(ErrorCode.EXPIRED, refusal(s.put(forgedAndExpired, NOW)));
  }

  @Test
  void recordsVanishAfterExpiryAndPurgeRemovesThem() {
    RecordStore s = store();
    SignedRecord shortLived = rec(ALICE, KEY, 1, 10);
    SignedRecord longLived = rec(BOB, KEY, 1, 100);
    NodeId other = NodeId.random(new Random(7));
    SignedRecord elsewhere = rec(ALICE, other, 1, 20);
    s.put(shortLived, NOW);
    s.put(longLived, NOW);
    s.put(elsewhere, NOW);

    assertEquals(0, s.purgeExpired(NOW + 9_999));
    assertEquals(List.of(longLived), s.get(KEY, NOW + 10_000));
    assertEquals(Optional.empty(), s.get(KEY, ALICE.publicKey(), NOW + 10_000));
    assertEquals(Optional.of(longLived), s.get(KEY, BOB.publicKey(), NOW + 10_000));
    assertEquals(3, s.size(), "still held until purged");

    assertEquals(2, s.all(NOW + 10_000).size());
    assertEquals(1, s.purgeExpired(NOW + 10_000));
    assertEquals(2, s.size());
    assertEquals(1, s.purgeExpired(NOW + 50_000));
    assertEquals(Set.of(KEY), s.keys());
    assertEquals(1, s.purgeExpired(NOW + 100_000));
    assertEquals(0, s.size());
    assertEquals(0, s.keyCount());
    assertEquals(3, s.stats().expired());
  }

  @Test
  void anExpiredRecordNoLongerBlocksALowerSeq() {
    // Readers already treat it as gone, so the answer does not depend on whether a purge ran in between.
    RecordStore s = store();
    s.put(rec(ALICE, KEY, 5, 10), NOW);
    SignedRecord restarted = SignedRecord.sign(ALICE, KEY, 1, 1, NOW_S + 600, new byte[0]);
    assertEquals(new PutOutcome.Stored(false), s.put(restarted, NOW + 10_000));
    assertEquals(List.of(restarted), s.get(KEY, NOW + 10_000));
    assertEquals(1, s.size());
    assertEquals(1, s.stats().expired());
  }

  @Test
  void fullKeyNeverEvictsAnotherPublishersLiveRecord() {
    RecordStore s = new RecordStore(SELF, new StoreLimits(3, 100, 86_400));
    SignedRecord a = rec(IDS.get(0), KEY, 1, 100);
    s.put(a, NOW);
    s.put(rec(IDS.get(1), KEY, 1, 200), NOW);
    s.put(rec(IDS.get(2), KEY, 1, 300), NOW);

    assertEquals(ErrorCode.STORE_FULL, refusal(s.put(rec(IDS.get(3), KEY, 1, 86_000), NOW)),
        "a longer-lived newcomer takes nobody's place");
    assertEquals(3, s.get(KEY, NOW).size());
    assertEquals(0, s.stats().evicted());

    // Renewing a present publisher needs no room, however full the key.
    SignedRecord a2 = rec(IDS.get(0), KEY, 2, 90);
    assertEquals(new PutOutcome.Stored(true), s.put(a2, NOW));
    assertEquals(Optional.of(a2), s.get(KEY, IDS.get(0).publicKey(), NOW));

    // Other keys are not limited by this one.
    assertEquals(new PutOutcome.Stored(false), s.put(rec(IDS.get(4), NodeId.random(new Random(3)), 1, 10), NOW));
  }

  @Test
  void fullKeyDropsExpiredRecordsFirst() {
    RecordStore s = new RecordStore(SELF, new StoreLimits(2, 100, 86_400));
    s.put(rec(IDS.get(0), KEY, 1, 10), NOW);
    SignedRecord b = rec(IDS.get(1), KEY, 1, 500);
    s.put(b, NOW);
    long later = NOW + 20_000;
    SignedRecord c = SignedRecord.sign(IDS.get(2), KEY, 1, 1, later / 1000 + 5, new byte[0]);
    assertEquals(new PutOutcome.Stored(false), s.put(c, later), "room made by the expired one, not by eviction");
    assertEquals(sortedByPublisher(List.of(b, c)), s.get(KEY, later));
    assertEquals(0, s.stats().evicted());
    assertEquals(1, s.stats().expired());
  }

  @Test
  void fullStoreTakesRoomOnlyFromTheNetworkHoldingMost() {
    Subnet flood = new Subnet(new byte[] {10, 0, 0});
    Subnet small = new Subnet(new byte[] {10, 0, 1});
    Subnet newcomer = new Subnet(new byte[] {10, 0, 2});
    RecordStore s = new RecordStore(SELF, new StoreLimits(10, 5, 86_400));
    for (int i = 0; i < 4; i++) {
      assertTrue(s.put(rec(IDS.get(i), NodeId.random(new Random(i)), 1, 100 + i), Optional.of(flood), NOW)
          .accepted());
    }
    SignedRecord honest = rec(IDS.get(4), KEY, 1, 50);
    assertTrue(s.put(honest, Optional.of(small), NOW).accepted());
    assertEquals(5, s.size());

    // A newcomer from a third network takes the flood's soonest-expiring record, never the small network's.
    SignedRecord fresh = rec(IDS.get(5), KEY, 1, 600);
    assertEquals(new PutOutcome.Stored(false), s.put(fresh, Optional.of(newcomer), NOW));
    assertEquals(3, s.prefixCount(flood));
    assertEquals(Optional.of(honest), s.get(KEY, IDS.get(4).publicKey(), NOW));
    assertEquals(1, s.stats().evicted());

    // The flood cannot take room from the others: it holds the most already.
    assertEquals(ErrorCode.STORE_FULL,
        refusal(s.put(rec(IDS.get(0), NodeId.random(new Random(50)), 1, 600), Optional.of(flood), NOW)));
    // Nor does the node's own record push anyone out unless a network holds more than one record.
    assertEquals(5, s.size());
  }

  @Test
  void oneNetworkGetsABoundedShareOfAKeyAndOfTheStore() {
    Subnet flood = new Subnet(new byte[] {10, 0, 0});
    RecordStore s = new RecordStore(SELF, new StoreLimits(8, 100, 86_400, 3, 5));
    List<Identity> many = identities(12);
    int storedUnderKey = 0;
    for (Identity id : many) {
      if (s.put(rec(id, KEY, 1, 600), Optional.of(flood), NOW).accepted()) {
        storedUnderKey++;
      }
    }
    assertEquals(3, storedUnderKey, "a network's share of one key");
    int storedElsewhere = 0;
    for (int i = 0; i < many.size(); i++) {
      if (s.put(rec(many.get(i), NodeId.random(new Random(200 + i)), 1, 600), Optional.of(flood), NOW)
          .accepted()) {
        storedElsewhere++;
      }
    }
    assertEquals(2, storedElsewhere, "a network's share of the store (5 in all)");
    assertEquals(5, s.prefixCount(flood));
    // Another network still stores under the key.
    assertTrue(s.put(rec(ALICE, KEY, 1, 600), Optional.of(new Subnet(new byte[] {10, 9, 9})), NOW).accepted());
  }

  @Test
  void fullStorePurgesExpiredRecordsBeforeEvicting() {
    NodeId near = SELF.flipBit(200);
    NodeId farther = SELF.flipBit(0);
    RecordStore s = new RecordStore(SELF, new StoreLimits(10, 2, 86_400));
    s.put(rec(ALICE, near, 1, 10), NOW);
    SignedRecord keep = rec(BOB, near, 1, 100);
    s.put(keep, NOW);
    long later = NOW + 10_000;
    SignedRecord far = SignedRecord.sign(ALICE, farther, 1, 1, later / 1000 + 5, new byte[0]);
    assertEquals(new PutOutcome.Stored(false), s.put(far, later), "even the farthest key fits once purged");
    assertEquals(List.of(keep), s.get(near, later));
    assertEquals(0, s.stats().evicted());
  }

  @Test
  void getIsOrderedByPublisherBytes() {
    List<SignedRecord> records = new ArrayList<>();
    for (Identity id : IDS) {
      records.add(rec(id, KEY, 1, 600));
    }
    List<SignedRecord> expected = sortedByPublisher(records);
    for (long seed = 0; seed < 3; seed++) {
      List<SignedRecord> shuffled = new ArrayList<>(records);
      java.util.Collections.shuffle(shuffled, new Random(seed));
      RecordStore s = store();
      shuffled.forEach(r -> s.put(r, NOW));
      assertEquals(expected, s.get(KEY, NOW));
      assertEquals(expected, s.all(NOW));
    }
  }

  @Test
  void allAndKeysAreSnapshots() {
    RecordStore s = store();
    NodeId near = SELF.flipBit(200);
    NodeId far = SELF.flipBit(3);
    SignedRecord r1 = rec(ALICE, far, 1, 600);
    SignedRecord r2 = rec(ALICE, near, 1, 600);
    s.put(r1, NOW);
    s.put(r2, NOW);
    List<SignedRecord> all = s.all(NOW);
    Set<NodeId> keys = s.keys();
    List<NodeId> byDistance = s.keysByDistance();
    s.put(rec(BOB, KEY, 1, 600), NOW);
    assertEquals(List.of(r2, r1), all, "nearest key first");
    assertEquals(Set.of(near, far), keys);
    assertEquals(List.of(near, far), byDistance);
    assertThrows(UnsupportedOperationException.class, () -> all.add(r1));
    assertEquals(3, s.keyCount());
    assertEquals(new StoreStats(3, 3, 3, 0, 0, 0), s.stats());
  }

  @Test
  void limitsAreValidated() {
    assertEquals(new StoreLimits(256, 50_000, 86_400, 16, 2_000), StoreLimits.defaults());
    assertThrows(IllegalArgumentException.class, () -> new StoreLimits(1, 1, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new StoreLimits(1, 1, 1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new StoreLimits(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new StoreLimits(1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new StoreLimits(1, 1, 0));
  }

  static List<SignedRecord> sortedByPublisher(List<SignedRecord> records) {
    Comparator<SignedRecord> byPublisher =
        (x, y) -> Arrays.compareUnsigned(x.publisher().toBytes(), y.publisher().toBytes());
    return records.stream().sorted(byPublisher).toList();
  }
}
