package org.dialtone.dht.record;

import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * The records a node holds for others: at most one per (key, publisher), the highest valid sequence wins, all of it
 * bounded by {@link StoreLimits}.
 *
 * <p>A plain object: no I/O, no timers, no locks. The node's event loop owns it and passes the time in, so the same
 * code runs on a real clock and in the simulator. Every record is checked with {@link SignedRecord#check} before it is
 * stored (the signature is verified once per instance and the answer kept), so nothing forged, expired or too
 * long-lived gets in.
 *
 * <p>When the store is full it makes room by a fixed rule rather than refusing everything new: under one key, the
 * record that expires soonest gives way to one that lives longer; in the whole store, the key farthest from this node
 * gives way, because by Kademlia's rule nearer nodes are more responsible for it than we are. Records that have
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
  private final TreeSet<Entry> byExpiry = new TreeSet<>(RecordStore::compareExpiry);
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
   * replays of old versions; otherwise it replaces that record. A record from a new publisher needs room: under a key
   * that is full, expired records are dropped first, then the soonest-expiring record is evicted if it expires sooner
   * than {@code r}, else {@code STORE_FULL}; in a full store, expired records are purged first, then the
   * soonest-expiring record of the key farthest from this node is evicted, unless {@code r}'s key is that key or
   * farther still, which is {@code STORE_FULL}.
   *
   * <p>A refused put changes nothing.
   *
   * @param nowEpochMillis the wall-clock time, in milliseconds since the Unix epoch
   */
  public PutOutcome put(SignedRecord r, long nowEpochMillis) {
    Objects.requireNonNull(r, "record");
    Optional<ErrorCode> problem = r.check(r.key(), nowEpochMillis, limits.maxTtlSeconds());
    if (problem.isPresent()) {
      return refuse(problem.get(), describe(problem.get(), r, nowEpochMillis));
    }
    byte[] publisher = r.publisher().toBytes();
    KeySlot slot = slots.get(r.key());
    Entry existing = slot == null ? null : slot.byPublisher.get(publisher);
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
      byExpiry.remove(existing);
      Entry replacement = new Entry(r, existing.publisher);
      slot.byPublisher.put(replacement.publisher, replacement);
      byExpiry.add(replacement);
      storedCount++;
      return new PutOutcome.Stored(true);
    }

    // A new (key, publisher) pair. Decide before touching anything, so that a refusal leaves the store as it was.
    slot = slots.get(r.key());
    if (slot != null && slot.byPublisher.size() >= limits.maxRecordsPerKey()) {
      Entry soonest = slot.soonest();
      if (soonest.record.isExpired(nowEpochMillis)) {
        dropExpired(slot, nowEpochMillis);
      } else if (soonest.record.expiresAtSeconds() < r.expiresAtSeconds()) {
        remove(slot, soonest);
        evictedCount++;
      } else {
        return refuse(ErrorCode.STORE_FULL, "key " + r.key().shortHex() + " holds " + limits.maxRecordsPerKey()
            + " records, none expiring sooner than this one");
      }
    }
    if (size >= limits.maxRecords()) {
      if (byExpiry.first().record.isExpired(nowEpochMillis)) {
        purgeExpired(nowEpochMillis);
      } else {
        NodeId farthest = slots.lastKey();
        if (self.compareDistance(r.key(), farthest) >= 0) {
          return refuse(ErrorCode.STORE_FULL, "the store holds " + limits.maxRecords()
              + " records and key " + r.key().shortHex() + " is not nearer to this node than any stored key");
        }
        KeySlot victims = slots.get(farthest);
        remove(victims, victims.soonest());
        evictedCount++;
      }
    }
    slot = slots.computeIfAbsent(r.key(), k -> new KeySlot());
    Entry entry = new Entry(r, publisher);
    slot.byPublisher.put(publisher, entry);
    byExpiry.add(entry);
    size++;
    storedCount++;
    return new PutOutcome.Stored(false);
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
    for (Entry e : slot.byPublisher.values()) {
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
    Entry e = slot.byPublisher.get(publisher.toBytes());
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
      Entry e = byExpiry.pollFirst();
      KeySlot slot = slots.get(e.record.key());
      slot.byPublisher.remove(e.publisher);
      if (slot.byPublisher.isEmpty()) {
        slots.remove(e.record.key());
      }
      size--;
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
      for (Entry e : slot.byPublisher.values()) {
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

  private void remove(KeySlot slot, Entry e) {
    slot.byPublisher.remove(e.publisher);
    byExpiry.remove(e);
    if (slot.byPublisher.isEmpty()) {
      slots.remove(e.record.key());
    }
    size--;
  }

  private void dropExpired(KeySlot slot, long nowEpochMillis) {
    // Collect first: removing while iterating the slot's map would invalidate the iterator. Runs only under a full
    // key (at most maxRecordsPerKey entries).
    List<Entry> gone = new ArrayList<>();
    for (Entry e : slot.byPublisher.values()) {
      if (e.record.isExpired(nowEpochMillis)) {
        gone.add(e);
      }
    }
    for (Entry e : gone) {
      remove(slot, e);
    }
    expiredCount += gone.size();
  }

  private static int compareExpiry(Entry a, Entry b) {
    int c = Long.compare(a.record.expiresAtSeconds(), b.record.expiresAtSeconds());
    if (c != 0) {
      return c;
    }
    c = a.record.key().compareTo(b.record.key());
    return c != 0 ? c : Arrays.compareUnsigned(a.publisher, b.publisher);
  }

  /** A stored record with its publisher's bytes, copied once so that lookups and ordering need no more copies. */
  private static final class Entry {
    final SignedRecord record;
    final byte[] publisher;

    Entry(SignedRecord record, byte[] publisher) {
      this.record = record;
      this.publisher = publisher;
    }
  }

  /** The records under one key, one per publisher, in publisher byte order. */
  private static final class KeySlot {
    final TreeMap<byte[], Entry> byPublisher = new TreeMap<>(Arrays::compareUnsigned);

    /** The entry that expires first (ties go to the lowest publisher); the slot is never empty. */
    Entry soonest() {
      Entry best = null;
      for (Entry e : byPublisher.values()) {
        if (best == null || e.record.expiresAtSeconds() < best.record.expiresAtSeconds()) {
          best = e;
        }
      }
      return best;
    }
  }
}
