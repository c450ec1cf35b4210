package org.dialtone.dht.record;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress.Subnet;

/**
 * The records a node holds for others: at most one per (key, publisher), the highest valid sequence wins, all of it
 * bounded by {@link StoreLimits}.
 *
 * <p>A plain object: no I/O, no timers, no locks. The node's event loop owns it and passes the time in, so the same
 * code runs on a real clock and in the simulator. Every record is checked with {@link SignedRecord#check} before it is
 * stored (the signature is verified once per instance and the answer kept), so nothing forged, expired or too
 * long-lived gets in.
 *
 * <p>Each record is charged to the source prefix it came from (IPv4 /24, IPv6 /48 of the storing peer's address;
 * records this node put itself are charged to nobody). One prefix may hold at most
 * {@link StoreLimits#maxRecordsPerKeyPerPrefix()} records of a key and {@link StoreLimits#maxRecordsPerPrefix()} of
 * the store, so a flood from one network fills its own quota and nothing else. A newcomer never evicts an unexpired
 * record of another publisher under a key: a full key refuses it ({@code STORE_FULL}) until something expires, so
 * records stored before a flood stay, and their publishers can renew them (a renewal replaces, it needs no room). When
 * the whole store is full the prefix holding the most records gives up its soonest-expiring one, but only to a
 * newcomer whose own prefix holds fewer: a flood is what gives way, never the small sources. Records that have
 * already expired are always dropped first.
 *
 * <p>Expired records stay in memory until {@link #purgeExpired} (or a put that needs their room) removes them, but no
 * reader ever sees one: {@link #get}, {@link #all} and the sequence check treat them as absent.
 */
public final class RecordStore {
  private final NodeId self;
  private final StoreLimits limits;
  // Ordered by XOR distance to self: firstKey is the key we are most responsible for, lastKey the one we evict from.
  private final TreeMap<NodeId, KeySlot> slots;
  // Every stored entry by expiry, so purging costs nothing when nothing has expired and the soonest is at hand.
  private final TreeSet<StoreEntry> byExpiry = new TreeSet<>(StoreEntry.BY_EXPIRY);
  // Per source prefix, its entries by expiry: the quota's count, and the record it gives up when the store is full.
  private final PrefixShares prefixShares = new PrefixShares();
  private int size;
  private long storedCount;
  private long refusedCount;
  private long evictedCount;
  private long expiredCount;

  /** An empty store for the node {@code self}, bounded by {@code limits}. */
  public RecordStore(NodeId self, StoreLimits limits) {
    this.self = Objects.requireNonNull(self, "self");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.slots = new TreeMap<>(self.distanceOrder());
  }

  /** The bounds this store keeps. */
  public StoreLimits limits() {
    return limits;
  }

  /**
   * Stores {@code r} if it is valid and new enough and there is room for it.
   *
   * <p>In order: the record must pass {@link SignedRecord#check} against its own key (the node compares the key with
   * the request separately); the very same record already stored is {@link PutOutcome.Unchanged}; a stored record of
   * the same (key, publisher) with the same or a higher sequence refuses it with {@code SEQ_TOO_LOW}, which stops
   * replays of old versions; otherwise it replaces that record. A record from a new publisher needs room: under a full
   * key, expired records are dropped first, and if the key is still full it is {@code STORE_FULL} (a live record of
   * another publisher is never evicted); in a full store, expired records are purged first, then the source prefix
   * holding the most records gives up its soonest-expiring one if it holds more than the newcomer's prefix plus one,
   * else {@code STORE_FULL}. This is the node's own put: the record is charged to no prefix.
   *
   * <p>A refused put changes nothing.
   *
   * @param nowEpochMillis the wall-clock time, in milliseconds since the Unix epoch
   */
  public PutOutcome put(SignedRecord r, long nowEpochMillis) {
    return put(r, Optional.empty(), nowEpochMillis);
  }

  /**
   * Stores {@code r}, sent by a peer whose source prefix is {@code source}, as {@link #put(SignedRecord, long)} does,
   * and within the prefix's quotas: a new (key, publisher) pair is refused {@code STORE_FULL} when the prefix already
   * holds {@link StoreLimits#maxRecordsPerKeyPerPrefix()} records of the key or {@link StoreLimits#maxRecordsPerPrefix()}
   * of the store. A renewal (same key and publisher, higher sequence) stays charged to the prefix that first stored
   * it, so it never needs room. Empty {@code source}: the node's own record, charged to no prefix.
   */
  public PutOutcome put(SignedRecord r, Optional<Subnet> source, long nowEpochMillis) {
    Objects.requireNonNull(r, "record");
    Objects.requireNonNull(source, "source");
    Optional<ErrorCode> problem = r.check(r.key(), nowEpochMillis, limits.maxTtlSeconds());
    if (problem.isPresent()) {
      return refuse(problem.get(), describe(problem.get(), r, nowEpochMillis));
    }
    byte[] publisher = r.publisher().toBytes();
    KeySlot slot = slots.get(r.key());
    StoreEntry existing = slot == null ? null : slot.byPublisher.get(publisher);
    if (existing != null && existing.record.isExpired(nowEpochMillis)) {
      // Readers already treat it as gone; the answer must not depend on whether a purge ran in between. Removing it
      // frees a place under the key and in the store, so this put cannot be refused for room afterwards.
      remove(slot, existing);
      expiredCount++;
      existing = null;
    }
    if (existing != null) {
      SignedRecord old = existing.record;
      if (old.equals(r)) {
        return new PutOutcome.Unchanged();
      }
      if (old.seq() >= r.seq()) {
        return refuse(ErrorCode.SEQ_TOO_LOW, "seq " + r.seq() + " is not above the stored " + old.seq());
      }
      unindex(existing);
      StoreEntry replacement = new StoreEntry(r, existing.publisher, existing.source);
      slot.byPublisher.put(replacement.publisher, replacement);
      index(replacement);
      storedCount++;
      return new PutOutcome.Stored(true);
    }

    // A new (key, publisher) pair. Decide before touching anything, so that a refusal leaves the store as it was.
    Subnet prefix = source.orElse(null);
    slot = slots.get(r.key());
    if (slot != null && prefix != null && slot.countOf(prefix) >= limits.maxRecordsPerKeyPerPrefix()) {
      dropExpired(slot, nowEpochMillis);
      slot = slots.get(r.key());
      if (slot != null && slot.countOf(prefix) >= limits.maxRecordsPerKeyPerPrefix()) {
        return refuse(ErrorCode.STORE_FULL, "key " + r.key().shortHex() + " holds " + slot.countOf(prefix)
            + " records from the sender's network, its share");
      }
    }
    if (slot != null && slot.byPublisher.size() >= limits.maxRecordsPerKey()) {
      dropExpired(slot, nowEpochMillis);
      slot = slots.get(r.key());
      if (slot != null && slot.byPublisher.size() >= limits.maxRecordsPerKey()) {
        // Never evict another publisher's live record: that is how a number was censored.
        return refuse(ErrorCode.STORE_FULL, "key " + r.key().shortHex() + " holds " + limits.maxRecordsPerKey()
            + " unexpired records");
      }
    }
    if (prefix != null && prefixCount(prefix) >= limits.maxRecordsPerPrefix()) {
      purgeExpired(nowEpochMillis);
      if (prefixCount(prefix) >= limits.maxRecordsPerPrefix()) {
        return refuse(ErrorCode.STORE_FULL, "the store holds " + prefixCount(prefix)
            + " records from the sender's network, its share");
      }
    }
    if (size >= limits.maxRecords()) {
      if (byExpiry.first().record.isExpired(nowEpochMillis)) {
        purgeExpired(nowEpochMillis);
      } else {
        Subnet largest = prefixShares.largest();
        if (largest == null || prefixCount(largest) <= prefixCount(prefix) + 1) {
          return refuse(ErrorCode.STORE_FULL, "the store holds " + limits.maxRecords()
              + " records and no network holds more of them than the sender's");
        }
        StoreEntry victim = prefixShares.soonestOf(largest);
        remove(slots.get(victim.record.key()), victim);
        evictedCount++;
      }
    }
    slot = slots.computeIfAbsent(r.key(), k -> new KeySlot());
    StoreEntry entry = new StoreEntry(r, publisher, prefix);
    slot.byPublisher.put(publisher, entry);
    slot.charge(prefix, 1);
    index(entry);
    size++;
    storedCount++;
    return new PutOutcome.Stored(false);
  }

  /** The records held that were stored from {@code prefix}, expired or not. */
  public int prefixCount(Subnet prefix) {
    return prefixShares.count(prefix);
  }

  /** The number of source prefixes holding records here. */
  public int prefixes() {
    return prefixShares.prefixes();
  }

  private void index(StoreEntry e) {
    byExpiry.add(e);
    prefixShares.add(e);
  }

  private void unindex(StoreEntry e) {
    byExpiry.remove(e);
    prefixShares.remove(e);
  }

  /**
   * The unexpired records under {@code key}, ordered by publisher key bytes (unsigned, lexicographic) so that every
   * call sees the same order and a reply can be paged by offset. Empty when there are none.
   */
  public List<SignedRecord> get(NodeId key, long nowEpochMillis) {
    KeySlot slot = slots.get(key);
    if (slot == null) {
      return List.of();
    }
    List<SignedRecord> out = new ArrayList<>(slot.byPublisher.size());
    for (StoreEntry e : slot.byPublisher.values()) {
      if (!e.record.isExpired(nowEpochMillis)) {
        out.add(e.record);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The unexpired record of {@code publisher} under {@code key}, if any. */
  public Optional<SignedRecord> get(NodeId key, PublicKey publisher, long nowEpochMillis) {
    KeySlot slot = slots.get(key);
    if (slot == null) {
      return Optional.empty();
    }
    StoreEntry e = slot.byPublisher.get(publisher.toBytes());
    return e == null || e.record.isExpired(nowEpochMillis) ? Optional.empty() : Optional.of(e.record);
  }

  /**
   * Removes every record that has expired at {@code nowEpochMillis}.
   *
   * <p>Costs one look at the soonest expiry when nothing has expired, and O(log n) per removed record otherwise.
   *
   * @return how many records were removed
   */
  public int purgeExpired(long nowEpochMillis) {
    int removed = 0;
    while (!byExpiry.isEmpty() && byExpiry.first().record.isExpired(nowEpochMillis)) {
      StoreEntry e = byExpiry.first();
      remove(slots.get(e.record.key()), e);
      removed++;
    }
    expiredCount += removed;
    return removed;
  }

  /** The number of records held, including expired ones not yet purged. */
  public int size() {
    return size;
  }

  /** The number of keys holding at least one record, expired or not. */
  public int keyCount() {
    return slots.size();
  }

  /** A snapshot of the keys holding at least one record (some possibly expired until the next purge). */
  public Set<NodeId> keys() {
    return Set.copyOf(slots.keySet());
  }

  /**
   * A snapshot of the keys, nearest to this node first: the order in which to hand records over to a newly joined
   * node nearer to them, or to persist the ones this node is most responsible for.
   */
  public List<NodeId> keysByDistance() {
    return List.copyOf(slots.keySet());
  }

  /**
   * A snapshot of every unexpired record, keys nearest to this node first and publishers in byte order within a key:
   * for persistence and handoff.
   */
  public List<SignedRecord> all(long nowEpochMillis) {
    List<SignedRecord> out = new ArrayList<>(size);
    for (KeySlot slot : slots.values()) {
      for (StoreEntry e : slot.byPublisher.values()) {
        if (!e.record.isExpired(nowEpochMillis)) {
          out.add(e.record);
        }
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The current sizes and the event counters. */
  public StoreStats stats() {
    return new StoreStats(size, slots.size(), storedCount, refusedCount, evictedCount, expiredCount);
  }

  private PutOutcome refuse(ErrorCode code, String reason) {
    refusedCount++;
    return new PutOutcome.Refused(code, reason);
  }

  private String describe(ErrorCode code, SignedRecord r, long nowEpochMillis) {
    return switch (code) {
      case INVALID_RECORD -> "the record is not under the key it was sent for";
      case EXPIRED -> "the record expired at " + r.expiresAtSeconds() + " s since the epoch";
      case EXPIRY_TOO_FAR -> "the record expires " + (r.expiresAtSeconds() - nowEpochMillis / 1000L)
          + " s from now, more than the " + limits.maxTtlSeconds() + " s this node keeps records";
      case BAD_SIGNATURE -> "the signature does not verify against the publisher's key";
      default -> code.name();
    };
  }

  private void remove(KeySlot slot, StoreEntry e) {
    slot.byPublisher.remove(e.publisher);
    slot.charge(e.source, -1);
    unindex(e);
    if (slot.byPublisher.isEmpty()) {
      slots.remove(e.record.key());
    }
    size--;
  }

  private void dropExpired(KeySlot slot, long nowEpochMillis) {
    if (slot == null) {
      return;
    }
    // Collect first: removing while iterating the slot's map would invalidate the iterator. Runs only under a full
    // key (at most maxRecordsPerKey entries).
    List<StoreEntry> gone = new ArrayList<>();
    for (StoreEntry e : slot.byPublisher.values()) {
      if (e.record.isExpired(nowEpochMillis)) {
        gone.add(e);
      }
    }
    for (StoreEntry e : gone) {
      remove(slot, e);
    }
    expiredCount += gone.size();
  }
}
