package org.dialtone.dht.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress.Subnet;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.routing.InsertResult.Inserted;
import org.dialtone.dht.routing.InsertResult.PendingCheck;
import org.dialtone.dht.routing.InsertResult.Reason;
import org.dialtone.dht.routing.InsertResult.Rejected;
import org.dialtone.dht.routing.InsertResult.Updated;

/**
 * A Kademlia routing table: 256 buckets indexed by the length of the prefix a contact's id shares with {@link #self()}
 * (bucket 0 holds the farther half of the keyspace, bucket 255 the single id that differs from ours in the last bit).
 *
 * <p>Each bucket keeps up to k contacts in least-recently-seen order and a bounded cache of replacements. When a
 * bucket is full the table does not evict anyone by itself: {@link #offer} answers {@link PendingCheck} naming the
 * least recently seen contact, the owner pings it and reports back with {@link #onCheckResult}. Contacts that stop
 * answering are dropped after {@link RoutingConfig#maxFailures()} consecutive failures ({@link #markFailed}); a
 * replacement takes their place.
 *
 * <p>No I/O, no timers, no threads: time comes in as {@code nowMillis} from the owner's clock. Not thread-safe; the
 * node's event loop owns it.
 */
public final class RoutingTable {
  private static final Rejected SELF = new Rejected(Reason.SELF);
  private static final Rejected SUBNET_LIMIT = new Rejected(Reason.SUBNET_LIMIT);
  private static final Rejected ADDRESS_MISMATCH = new Rejected(Reason.ADDRESS_MISMATCH);
  private static final Rejected CHECK_IN_PROGRESS = new Rejected(Reason.CHECK_IN_PROGRESS);

  private final NodeId self;
  private final RoutingConfig config;
  // Allocated on first use: a table holds about log2(N) non-empty buckets, and a simulation holds 10^5 tables.
  private final Bucket[] buckets = new Bucket[NodeId.BITS];
  private final long createdAtMillis;
  // Every bucket member by id, so get/contains/markSeen/markFailed are O(1) plus an O(k) move within a bucket.
  private final Map<NodeId, Bucket.Entry> members = new HashMap<>();
  private final SubnetLimits subnetLimits;

  /** An empty table for {@code self}, created at time 0 (for {@link #bucketsNeedingRefresh}). */
  public RoutingTable(NodeId self, RoutingConfig config) {
    this(self, config, 0);
  }

  /** An empty table for {@code self}; every bucket counts as touched at {@code createdAtMillis}. */
  public RoutingTable(NodeId self, RoutingConfig config, long createdAtMillis) {
    this.self = Objects.requireNonNull(self, "self");
    this.config = Objects.requireNonNull(config, "config");
    this.createdAtMillis = createdAtMillis;
    this.subnetLimits = new SubnetLimits(config);
  }

  /** The id of the node that owns this table. */
  public NodeId self() {
    return self;
  }

  /** The parameters of this table. */
  public RoutingConfig config() {
    return config;
  }

  /**
   * Offers a contact that has just answered us and proved its key (the caller guarantees both; the table cannot
   * check liveness). The result says what happened:
   *
   * <ul>
   *   <li>{@link Inserted}: new, and its bucket had room;
   *   <li>{@link Updated}: already known at this address, now the most recently seen of its bucket;
   *   <li>{@link PendingCheck}: bucket full; the candidate is cached as a replacement and the owner should ping the
   *       bucket's least recently seen contact and call {@link #onCheckResult};
   *   <li>{@link Rejected}: {@link Reason#SELF}, {@link Reason#SUBNET_LIMIT} (not cached either),
   *       {@link Reason#ADDRESS_MISMATCH} (the id is known at another address), or {@link Reason#CHECK_IN_PROGRESS}
   *       (bucket full, a check already pending; the candidate was cached as a replacement).
   * </ul>
   *
   * <p>An accepted offer (anything but a rejection for self, subnet or address) also touches the bucket: a peer in
   * that range is active, so the bucket does not need a refresh lookup yet.
   */
  public InsertResult offer(Contact verified, long nowMillis) {
    Objects.requireNonNull(verified, "verified");
    NodeId id = verified.id();
    if (id.equals(self)) {
      return SELF;
    }
    Bucket bucket = bucketFor(id);
    Bucket.Entry known = members.get(id);
    if (known != null) {
      // Never let a second address take over a proven contact: it keeps its place until it fails.
      if (!known.contact.address().equals(verified.address())) {
        return ADDRESS_MISMATCH;
      }
      seen(bucket, known, nowMillis);
      bucket.lastTouchedMillis = nowMillis;
      return new Updated(known.contact);
    }
    Subnet subnet = subnetLimits.subnetOf(verified.address());
    if (subnet != null && !subnetLimits.fits(bucket, subnet)) {
      return SUBNET_LIMIT;
    }
    bucket.lastTouchedMillis = nowMillis;
    if (bucket.size() < config.k()) {
      bucket.removeReplacement(id);
      add(bucket, verified, subnet, nowMillis);
      return new Inserted(verified);
    }
    bucket.cacheReplacement(verified, nowMillis, config.replacementCacheSize());
    if (bucket.pendingCheck != null) {
      return CHECK_IN_PROGRESS;
    }
    Contact head = bucket.head().contact;
    bucket.pendingCheck = head.id();
    return new PendingCheck(verified, head);
  }

  /**
   * A known contact answered again from {@code from}: it becomes the most recently seen of its bucket and its
   * failure count resets. Returns false (and changes nothing) when the id is unknown or the address differs.
   */
  public boolean markSeen(NodeId id, PeerAddress from, long nowMillis) {
    Bucket.Entry entry = members.get(Objects.requireNonNull(id, "id"));
    if (entry == null || !entry.contact.address().equals(from)) {
      return false;
    }
    seen(bucketFor(id), entry, nowMillis);
    return true;
  }

  /**
   * A request to {@code id} failed. After {@link RoutingConfig#maxFailures()} consecutive failures (with no
   * {@link #markSeen} between) the contact is removed and the most recently seen replacement that fits the subnet
   * limits is promoted into its bucket; that replacement is returned. Empty when the contact stays, is unknown, or no
   * replacement fits.
   */
  public Optional<Contact> markFailed(NodeId id) {
    Bucket.Entry entry = members.get(Objects.requireNonNull(id, "id"));
    if (entry == null) {
      return Optional.empty();
    }
    entry.failures++;
    if (entry.failures < config.maxFailures()) {
      return Optional.empty();
    }
    return evict(bucketFor(id), entry);
  }

  /**
   * The answer to a {@link PendingCheck}. Alive: {@code checked} becomes the most recently seen of its bucket and the
   * candidate stays in the replacement cache. Dead: {@code checked} is evicted and the best replacement (most recently
   * seen that fits the subnet limits, usually the candidate) is promoted and returned. Either way the bucket may start
   * a new check.
   *
   * <p>A result for a contact that is not the pending check of its bucket (late or duplicate) is treated as evidence,
   * not as a verdict: alive counts as seen, dead as one failure ({@link #markFailed}).
   */
  public Optional<Contact> onCheckResult(NodeId checked, boolean alive, long nowMillis) {
    Objects.requireNonNull(checked, "checked");
    if (checked.equals(self)) {
      return Optional.empty();
    }
    Bucket bucket = buckets[bucketIndexOf(checked)]; // null: never used, so empty, no check, no replacements
    if (bucket == null) {
      return Optional.empty(); // nobody was ever filed there: no member, no check
    }
    boolean wasPending = checked.equals(bucket.pendingCheck);
    if (wasPending) {
      bucket.pendingCheck = null;
    }
    Bucket.Entry entry = members.get(checked);
    if (entry == null) {
      return Optional.empty();
    }
    if (alive) {
      seen(bucket, entry, nowMillis);
      return Optional.empty();
    }
    return wasPending ? evict(bucket, entry) : markFailed(checked);
  }

  /**
   * Removes {@code id} (from its bucket or, failing that, its replacement cache). When a bucket member is removed,
   * the best replacement is promoted and returned.
   */
  public Optional<Contact> remove(NodeId id) {
    Objects.requireNonNull(id, "id");
    if (id.equals(self)) {
      return Optional.empty();
    }
    Bucket bucket = buckets[bucketIndexOf(id)]; // null when never used
    Bucket.Entry entry = members.get(id);
    if (entry == null) {
      if (bucket != null) {
        bucket.removeReplacement(id);
      }
      return Optional.empty();
    }
    return evict(bucket, entry);
  }

  /**
   * Up to {@code n} contacts nearest {@code target} by XOR distance, nearest first; never this node itself.
   *
   * <p>Visits buckets in distance order instead of sorting the table ({@link NearestContacts} says why that order
   * is right).
   */
  public List<Contact> closest(NodeId target, int n) {
    return closest(target, n, contact -> true);
  }

  /**
   * As {@link #closest(NodeId, int)}, among the contacts {@code which} accepts (for example those of a requester's
   * address family): the same list as filtering the table first, without sorting the whole table.
   */
  public List<Contact> closest(NodeId target, int n, Predicate<Contact> which) {
    return NearestContacts.find(buckets, self, target, which, n, members.size());
  }

  /** The contact with this id, if it is in a bucket (replacements do not count). */
  public Optional<Contact> get(NodeId id) {
    Bucket.Entry entry = members.get(Objects.requireNonNull(id, "id"));
    return entry == null ? Optional.empty() : Optional.of(entry.contact);
  }

  /** True when a contact with this id is in a bucket (replacements do not count). */
  public boolean contains(NodeId id) {
    return members.containsKey(Objects.requireNonNull(id, "id"));
  }

  /**
   * When the contact with this id was last seen (inserted, updated, marked seen or found alive; for a promoted
   * replacement, when it was cached). Empty when it is not in a bucket.
   */
  public OptionalLong lastSeen(NodeId id) {
    Bucket.Entry entry = members.get(Objects.requireNonNull(id, "id"));
    return entry == null ? OptionalLong.empty() : OptionalLong.of(entry.lastSeenMillis);
  }

  /**
   * True when a contact with this id would be inserted at once: it is not us, not known yet, and its bucket has
   * room. The node asks before spending a signature verification on a contact it could not keep anyway.
   */
  public boolean hasRoomFor(NodeId id) {
    if (id.equals(self) || members.containsKey(id)) {
      return false;
    }
    return bucketSize(bucketIndexOf(id)) < config.k();
  }

  /** Contacts in bucket {@code index} (0..255). */
  public int bucketSize(int index) {
    Bucket bucket = buckets[index];
    return bucket == null ? 0 : bucket.size();
  }

  /** Contacts in buckets (replacements are not counted). */
  public int size() {
    return members.size();
  }

  /** A snapshot of all bucket members, farthest bucket first, least recently seen first within a bucket. */
  public List<Contact> contacts() {
    List<Contact> out = new ArrayList<>(members.size());
    for (Bucket bucket : buckets) {
      if (bucket != null) {
        for (Bucket.Entry entry : bucket.entries()) {
          out.add(entry.contact);
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * The bucket for {@code id}: the length of the prefix it shares with self, 0..255. Self itself maps to 255, the
   * bucket nearest to it, so a lookup of one's own id touches the deepest bucket.
   */
  public int bucketIndexOf(NodeId id) {
    return Math.min(self.commonPrefixLength(Objects.requireNonNull(id, "id")), NodeId.BITS - 1);
  }

  /**
   * Buckets 0 up to the deepest non-empty one (inclusive) not touched for at least {@code refreshIntervalMillis}, in
   * ascending order. The owner refreshes each by looking up a random id in its range
   * ({@link NodeId#randomWithCommonPrefix}) and then calls {@link #touchBucket}. Empty while the table is empty.
   */
  public List<Integer> bucketsNeedingRefresh(long nowMillis, long refreshIntervalMillis) {
    return BucketRefresh.due(buckets, createdAtMillis, nowMillis, refreshIntervalMillis);
  }

  /** A lookup ran for an id in the range of bucket {@code index} (0..255): it needs no refresh for a while. */
  public void touchBucket(int index, long nowMillis) {
    Objects.checkIndex(index, NodeId.BITS);
    bucketAt(index).lastTouchedMillis = nowMillis;
  }

  /** Contacts waiting in replacement caches, over all buckets. */
  public int replacementCount() {
    int count = 0;
    for (Bucket bucket : buckets) {
      if (bucket != null) {
        count += bucket.replacements().size();
      }
    }
    return count;
  }

  @Override
  public String toString() {
    return "RoutingTable[self=" + self.shortHex() + ", size=" + members.size() + "]";
  }

  // Package-private views for tests.

  /** Members of bucket {@code index}, least recently seen first. */
  List<Contact> bucketContents(int index) {
    Bucket bucket = buckets[index];
    return bucket == null ? List.of() : bucket.entries().stream().map(e -> e.contact).toList();
  }

  /** Replacements of bucket {@code index}, most recently seen first. */
  List<Contact> replacementsOf(int index) {
    Bucket bucket = buckets[index];
    return bucket == null ? List.of() : bucket.replacements().stream().map(Bucket.Replacement::contact).toList();
  }

  /** The id whose check is pending in bucket {@code index}. */
  Optional<NodeId> pendingCheck(int index) {
    Bucket bucket = buckets[index];
    return bucket == null ? Optional.empty() : Optional.ofNullable(bucket.pendingCheck);
  }

  /** The table-wide count of members of {@code subnet} that are subject to the limits. */
  int subnetCount(Subnet subnet) {
    return subnetLimits.count(subnet);
  }

  /** The bucket for {@code id}, created if it did not exist yet. */
  private Bucket bucketFor(NodeId id) {
    return bucketAt(bucketIndexOf(id));
  }

  /** Bucket {@code index}, created (as touched at the table's creation) if it did not exist yet. */
  private Bucket bucketAt(int index) {
    Bucket bucket = buckets[index];
    if (bucket == null) {
      bucket = new Bucket(createdAtMillis);
      buckets[index] = bucket;
    }
    return bucket;
  }

  private void add(Bucket bucket, Contact contact, Subnet subnet, long seenMillis) {
    Bucket.Entry entry = new Bucket.Entry(contact, subnet, seenMillis);
    bucket.addTail(entry);
    members.put(contact.id(), entry);
    subnetLimits.added(subnet);
  }

  private void seen(Bucket bucket, Bucket.Entry entry, long nowMillis) {
    entry.failures = 0;
    entry.lastSeenMillis = nowMillis;
    bucket.moveToTail(entry);
  }

  /** Removes a member, clears the bucket's check if it was for that member, and promotes a replacement. */
  private Optional<Contact> evict(Bucket bucket, Bucket.Entry entry) {
    bucket.remove(entry);
    members.remove(entry.contact.id());
    subnetLimits.removed(entry.limitedSubnet);
    if (entry.contact.id().equals(bucket.pendingCheck)) {
      bucket.pendingCheck = null;
    }
    return promote(bucket);
  }

  /**
   * Moves the most recently seen replacement that fits the subnet limits into the bucket. Replacements that do not
   * fit stay cached: they may fit after another member leaves.
   */
  private Optional<Contact> promote(Bucket bucket) {
    List<Bucket.Replacement> cache = bucket.replacements();
    for (int i = 0; i < cache.size(); i++) {
      Bucket.Replacement candidate = cache.get(i);
      Subnet subnet = subnetLimits.subnetOf(candidate.contact().address());
      if (subnet == null || subnetLimits.fits(bucket, subnet)) {
        cache.remove(i);
        add(bucket, candidate.contact(), subnet, candidate.seenMillis());
        return Optional.of(candidate.contact());
      }
    }
    return Optional.empty();
  }
}
