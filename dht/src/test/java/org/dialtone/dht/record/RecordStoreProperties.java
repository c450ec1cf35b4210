package org.dialtone.dht.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress.Subnet;

/**
 * Random put sequences from a few publishers under a few keys, with small limits so that eviction, refusal, expiry
 * and forgery all happen often. The store must keep its bounds, hold one record per (key, publisher), hold exactly
 * the last record it reported as stored for that pair, and change nothing when it refuses.
 */
class RecordStoreProperties {
  private static final List<Identity> IDS = RecordStoreTest.identities(3);
  private static final NodeId SELF = NodeId.random(new Random(5));
  private static final List<NodeId> KEYS = List.of(
      NodeId.random(new Random(6)), NodeId.random(new Random(7)), NodeId.random(new Random(8)));
  private static final StoreLimits LIMITS = new StoreLimits(2, 3, 30, 1, 2);
  // Two networks the puts come from, and the node itself (no prefix).
  private static final List<Optional<Subnet>> SOURCES = List.of(
      Optional.of(new Subnet(new byte[] {10, 0, 0})), Optional.of(new Subnet(new byte[] {10, 0, 1})),
      Optional.empty());
  private static final long START = 1_700_000_000_000L;

  /** What a step does after advancing the clock. */
  enum Action { PUT, RESEND, PURGE }

  /** One step: put a new record (maybe forged), put the previous record again, or purge. */
  record Op(
      Action action, int who, int key, int seq, int ttlSeconds, int payload, boolean forged, int advanceMillis,
      int source) {
  }

  record Pair(NodeId key, PublicKey publisher) {
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op = Combinators.combine(
        Arbitraries.of(Action.PUT, Action.PUT, Action.PUT, Action.PUT, Action.PUT, Action.PUT, Action.RESEND,
            Action.PURGE),
        Arbitraries.integers().between(0, IDS.size() - 1),
        Arbitraries.integers().between(0, KEYS.size() - 1),
        Arbitraries.of(0, 1, 2, 3, 4),
        // Few distinct TTLs and clock steps, so identical records recur (Unchanged) and expiries tie; 0 and below are
        // expired on arrival, 61 is beyond the limit and the skew tolerance, 45 within the tolerance. (jqwik mixes in
        // the first and last values as edge cases.)
        Arbitraries.of(10, -1, 4, 61, 25, 45, 30),
        Arbitraries.of(0, 1),
        // One in ten forged; the source network in the tens.
        Arbitraries.integers().between(0, 10 * SOURCES.size() - 1),
        Arbitraries.of(0, 0, 0, 700, 3_000, 9_000))
        .as((action, who, key, seq, ttl, payload, flags, advance) ->
            new Op(action, who, key, seq, ttl, payload, flags % 10 == 0, advance, flags / 10));
    return op.list().ofMaxSize(40);
  }

  @Property(tries = 300)
  void storeKeepsItsInvariants(@ForAll("ops") List<Op> ops) {
    RecordStore store = new RecordStore(SELF, LIMITS);
    Map<Pair, SignedRecord> lastStored = new HashMap<>();
    long now = START;
    SignedRecord previous = null;
    for (Op op : ops) {
      now += op.advanceMillis();
      if (op.action() == Action.PURGE) {
        int before = store.size();
        int removed = store.purgeExpired(now);
        assertEquals(before - removed, store.size());
        assertEquals(store.size(), store.all(now).size(), "nothing expired is left after a purge");
        continue;
      }
      boolean resend = op.action() == Action.RESEND && previous != null;
      SignedRecord r = resend ? previous : record(op, now);
      previous = r;
      Pair pair = new Pair(r.key(), r.publisher());
      // What readers see: a refused put may drop expired records to look for room, which no reader can tell.
      List<SignedRecord> before = store.all(now);
      Optional<SignedRecord> live = store.get(r.key(), r.publisher(), now);
      boolean forged = !r.hasValidSignature();
      long ttl = r.expiresAtSeconds() - now / 1000;
      boolean expiryOk =
          !r.isExpired(now) && ttl <= LIMITS.maxTtlSeconds() + SignedRecord.CLOCK_SKEW_TOLERANCE_SECONDS;

      PutOutcome out = store.put(r, SOURCES.get(op.source()), now);

      if (out instanceof PutOutcome.Refused refused) {
        assertEquals(before, store.all(now), "a refused put changes nothing a reader sees");
        if (!expiryOk) {
          assertTrue(Set.of(ErrorCode.EXPIRED, ErrorCode.EXPIRY_TOO_FAR).contains(refused.code()), refused::toString);
        } else if (forged) {
          assertEquals(ErrorCode.BAD_SIGNATURE, refused.code());
        } else if (refused.code() == ErrorCode.SEQ_TOO_LOW) {
          assertTrue(live.isPresent() && live.get().seq() >= r.seq());
        } else {
          assertEquals(ErrorCode.STORE_FULL, refused.code());
          assertTrue(live.isEmpty(), "replacing a present publisher never needs room");
        }
      } else if (out instanceof PutOutcome.Unchanged) {
        assertEquals(live, Optional.of(r));
      } else {
        PutOutcome.Stored stored = (PutOutcome.Stored) out;
        assertTrue(expiryOk && !forged, "only valid records are stored");
        assertTrue(live.isEmpty() || live.get().seq() < r.seq(), "only a higher seq replaces");
        assertEquals(live.isPresent(), stored.replaced());
        assertEquals(Optional.of(r), store.get(r.key(), r.publisher(), now));
        lastStored.put(pair, r);
      }
      if (expiryOk && !forged && live.isPresent() && live.get().seq() < r.seq()) {
        assertEquals(new PutOutcome.Stored(true), out, "a valid higher seq always replaces");
      }
      checkInvariants(store, lastStored);
    }
  }

  private static void checkInvariants(RecordStore store, Map<Pair, SignedRecord> lastStored) {
    assertTrue(store.size() <= LIMITS.maxRecords());
    List<SignedRecord> all = everything(store);
    assertEquals(store.size(), all.size());
    assertEquals(store.keyCount(), store.keysByDistance().size());
    for (NodeId key : store.keysByDistance()) {
      List<SignedRecord> underKey = store.get(key, Long.MIN_VALUE);
      assertFalse(underKey.isEmpty(), "no empty key is kept");
      assertTrue(underKey.size() <= LIMITS.maxRecordsPerKey());
    }
    Set<Pair> seen = new HashSet<>();
    for (SignedRecord r : all) {
      Pair pair = new Pair(r.key(), r.publisher());
      assertTrue(seen.add(pair), "one record per (key, publisher)");
      assertEquals(lastStored.get(pair), r, "the record held is the last one reported stored for its pair");
      assertTrue(r.hasValidSignature());
    }
    assertEquals(store.size(), store.stats().records());
    for (Optional<Subnet> source : SOURCES) {
      source.ifPresent(p -> assertTrue(store.prefixCount(p) <= LIMITS.maxRecordsPerPrefix(), "a network's share"));
    }
  }

  /** Every record held, expired or not: no record expires before the earliest representable time. */
  private static List<SignedRecord> everything(RecordStore store) {
    List<SignedRecord> out = new ArrayList<>();
    for (NodeId key : store.keysByDistance()) {
      out.addAll(store.get(key, Long.MIN_VALUE));
    }
    return out;
  }

  private static SignedRecord record(Op op, long now) {
    Identity who = IDS.get(op.who());
    NodeId key = KEYS.get(op.key());
    long expires = now / 1000 + op.ttlSeconds();
    byte[] payload = {(byte) op.payload()};
    if (!op.forged()) {
      return SignedRecord.sign(who, key, 1, op.seq(), expires, payload);
    }
    // Another identity's signature over the same fields, presented as this publisher's.
    Identity forger = IDS.get((op.who() + 1) % IDS.size());
    SignedRecord theirs = SignedRecord.sign(forger, key, 1, op.seq(), expires, payload);
    return SignedRecord.of(key, who.publicKey(), 1, op.seq(), expires, payload, theirs.signature());
  }
}
