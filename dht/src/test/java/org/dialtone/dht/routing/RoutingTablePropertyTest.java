package org.dialtone.dht.routing;

import static org.dialtone.dht.routing.TestContacts.contact;
import static org.dialtone.dht.routing.TestContacts.id;
import static org.dialtone.dht.routing.TestContacts.loopback;
import static org.dialtone.dht.routing.TestContacts.publicAddress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress.Subnet;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.routing.InsertResult.Inserted;
import org.dialtone.dht.routing.InsertResult.PendingCheck;
import org.dialtone.dht.routing.InsertResult.Rejected;
import org.dialtone.dht.routing.InsertResult.Updated;

/**
 * Random sequences of offers, sightings, failures, check results and removals on real contacts (a few public /24s
 * and loopback), checking the table's invariants after every step.
 */
class RoutingTablePropertyTest {
  /** Contacts used with the small configs: enough to fill the shallow buckets many times over. */
  private static final int SMALL_POOL = 48;
  /** Buckets the invariant check looks into, to keep it cheap. */
  private static final int SCANNED_BUCKETS = 64;

  sealed interface Op {}

  /** Offer contact {@code contact} at its address number {@code variant} (0 is its usual one). */
  record Offer(int contact, int variant) implements Op {}

  record Seen(int contact, int variant) implements Op {}

  /** Fail a current member (picked by {@code pick}), or a pool contact when the table is empty. */
  record Fail(int pick) implements Op {}

  /** Answer an outstanding check (picked by {@code pick}), or a random contact's when none is outstanding. */
  record Check(int pick, boolean alive) implements Op {}

  record Remove(int contact) implements Op {}

  record Touch(int bucket) implements Op {}

  @Property(tries = 100)
  void invariantsHoldForSmallConfigs(
      @ForAll("smallConfigs") RoutingConfig config,
      @ForAll("smallOps") List<Op> ops,
      @ForAll @IntRange(min = 0, max = SMALL_POOL - 1) int selfIndex,
      @ForAll long seed) {
    run(config, ops, id(selfIndex), SMALL_POOL, seed);
  }

  @Property(tries = 100)
  void subnetLimitsHoldForAllAddresses(
      @ForAll("smallConfigs") RoutingConfig config,
      @ForAll("smallOps") List<Op> ops,
      @ForAll @IntRange(min = 0, max = SMALL_POOL - 1) int selfIndex,
      @ForAll long seed) {
    run(config.toBuilder().subnetLimitsForAllAddresses(true).build(), ops, id(selfIndex), SMALL_POOL, seed);
  }

  @Property(tries = 30)
  void invariantsHoldForTheDefaultConfig(
      @ForAll("largeOps") List<Op> ops,
      @ForAll @IntRange(min = 0, max = TestContacts.POOL_SIZE - 1) int selfIndex,
      @ForAll long seed) {
    run(RoutingConfig.defaults(), ops, id(selfIndex), TestContacts.POOL_SIZE, seed);
  }

  @Property(tries = 100)
  void closestMatchesBruteForce(
      @ForAll @IntRange(min = 1, max = 30) int k,
      @ForAll @IntRange(min = 0, max = TestContacts.POOL_SIZE) int count,
      @ForAll @IntRange(min = 0, max = 80) int n,
      @ForAll long seed) {
    Random random = new Random(seed);
    RoutingTable table = filledTable(k, count, random, i -> loopback(1000 + i));
    for (NodeId target : targets(table.self(), random)) {
      assertClosest(table, target, n);
    }
  }

  /**
   * A dual-stack node's mixed table answers each requester with the nearest contacts of its address family: the
   * per-family {@code closest} equals filtering the whole table by family, then taking the nearest.
   */
  @Property(tries = 100)
  void closestOfOneFamilyIsFilterThenClosest(
      @ForAll @IntRange(min = 1, max = 30) int k,
      @ForAll @IntRange(min = 0, max = TestContacts.POOL_SIZE) int count,
      @ForAll @IntRange(min = 0, max = 80) int n,
      @ForAll @IntRange(min = 0, max = 100) int ipv6Percent,
      @ForAll long seed) {
    Random random = new Random(seed);
    RoutingTable table = filledTable(k, count, random,
        i -> random.nextInt(100) < ipv6Percent ? PeerAddress.of(IPV6_LOOPBACK, 1000 + i) : loopback(1000 + i));
    for (NodeId target : targets(table.self(), random)) {
      for (boolean ipv4 : List.of(true, false)) {
        List<Contact> expected = table.contacts().stream()
            .filter(c -> c.address().isIpv4() == ipv4)
            .sorted((a, b) -> target.compareDistance(a.id(), b.id()))
            .limit(n)
            .toList();
        assertEquals(expected, table.closest(target, n, c -> c.address().isIpv4() == ipv4));
      }
    }
  }

  private static final byte[] IPV6_LOOPBACK = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

  /** A table with bucket size k for a random self (or a pool contact's id) holding pool contacts 0..count-1. */
  private static RoutingTable filledTable(int k, int count, Random random, IntFunction<PeerAddress> addressOf) {
    NodeId self = random.nextBoolean() ? NodeId.random(random) : id(random.nextInt(TestContacts.POOL_SIZE));
    RoutingTable table = new RoutingTable(self, RoutingConfig.builder().k(k).build());
    for (int i = 0; i < count; i++) {
      table.offer(contact(i, addressOf.apply(i)), i);
    }
    return table;
  }

  /** Address number {@code variant} of contact {@code contact}: in one of four public /24s, or loopback. */
  static PeerAddress address(int contact, int variant) {
    int kind = (contact + variant) % 5;
    return kind == 4
        ? loopback(10_000 + contact * 3 + variant)
        : publicAddress(kind, contact % 250 + 1, 7000 + variant);
  }

  private static void run(RoutingConfig config, List<Op> ops, NodeId self, int pool, long seed) {
    Random random = new Random(seed);
    RoutingTable table = new RoutingTable(self, config, 0);
    List<NodeId> outstanding = new ArrayList<>();
    long now = 0;
    for (Op op : ops) {
      now += 10;
      if (op instanceof Offer o) {
        int c = o.contact() % pool;
        offer(table, config, contact(c, address(c, o.variant())), now, outstanding);
      } else if (op instanceof Seen s) {
        int c = s.contact() % pool;
        PeerAddress from = address(c, s.variant());
        Optional<Contact> before = table.get(id(c));
        boolean seen = table.markSeen(id(c), from, now);
        assertEquals(before.isPresent() && before.get().address().equals(from), seen);
        if (seen) {
          assertLast(table, before.get());
        }
      } else if (op instanceof Fail f) {
        List<Contact> members = table.contacts();
        NodeId failing = members.isEmpty() ? id(f.pick() % pool) : members.get(f.pick() % members.size()).id();
        afterRemoval(table, table.markFailed(failing));
      } else if (op instanceof Check c) {
        NodeId checked = outstanding.isEmpty()
            ? id(c.pick() % pool)
            : outstanding.remove(c.pick() % outstanding.size());
        boolean wasPending = table.pendingCheck(table.bucketIndexOf(checked)).filter(checked::equals).isPresent();
        afterRemoval(table, table.onCheckResult(checked, c.alive(), now));
        if (wasPending) {
          assertEquals(c.alive(), table.contains(checked));
        }
      } else if (op instanceof Remove r) {
        NodeId id = id(r.contact() % pool);
        afterRemoval(table, table.remove(id));
        assertFalse(table.contains(id));
        if (!id.equals(self)) {
          assertFalse(table.replacementsOf(table.bucketIndexOf(id)).stream().anyMatch(x -> x.id().equals(id)));
        }
      } else if (op instanceof Touch t) {
        table.touchBucket(t.bucket(), now);
        assertFalse(table.bucketsNeedingRefresh(now, 1).contains(t.bucket()));
      }
      checkInvariants(table, config, self, now);
      List<NodeId> targets = targets(self, random);
      assertClosest(table, targets.get(random.nextInt(targets.size())), random.nextInt(table.size() + 3));
    }
    for (NodeId target : targets(self, random)) {
      assertClosest(table, target, random.nextInt(table.size() + 3));
      assertClosest(table, target, table.size());
    }
  }

  private static void offer(RoutingTable table, RoutingConfig config, Contact c, long now, List<NodeId> outstanding) {
    Optional<Contact> before = table.get(c.id());
    int bucket = table.bucketIndexOf(c.id());
    InsertResult result = table.offer(c, now);
    if (result instanceof Inserted i) {
      assertEquals(c, i.contact());
      assertTrue(before.isEmpty());
      assertLast(table, c);
    } else if (result instanceof Updated u) {
      assertEquals(before, Optional.of(u.contact()));
      assertLast(table, c);
    } else if (result instanceof PendingCheck p) {
      assertEquals(c, p.candidate());
      assertFalse(table.contains(c.id()));
      assertEquals(c, table.replacementsOf(bucket).get(0));
      assertEquals(config.k(), table.bucketContents(bucket).size());
      assertEquals(p.leastRecentlySeen(), table.bucketContents(bucket).get(0));
      assertEquals(Optional.of(p.leastRecentlySeen().id()), table.pendingCheck(bucket));
      outstanding.add(p.leastRecentlySeen().id());
    } else if (result instanceof Rejected r) {
      switch (r.reason()) {
        case SELF -> assertEquals(table.self(), c.id());
        case ADDRESS_MISMATCH -> {
          assertTrue(before.isPresent());
          assertNotEquals(c.address(), before.get().address());
        }
        case SUBNET_LIMIT -> {
          assertTrue(before.isEmpty());
          assertTrue(limited(config, c.address()));
          Subnet s = c.address().subnet();
          long inBucket = table.bucketContents(bucket).stream()
              .filter(x -> limited(config, x.address()) && x.address().subnet().equals(s)).count();
          assertTrue(inBucket >= config.maxPerSubnetPerBucket()
              || table.subnetCount(s) >= config.maxPerSubnetInTable());
        }
        case CHECK_IN_PROGRESS -> {
          assertFalse(table.contains(c.id()));
          assertEquals(c, table.replacementsOf(bucket).get(0));
          assertTrue(table.pendingCheck(bucket).isPresent());
        }
      }
      assertEquals(before, table.get(c.id()));
    }
  }

  private static void afterRemoval(RoutingTable table, Optional<Contact> promoted) {
    promoted.ifPresent(p -> {
      assertTrue(table.contains(p.id()));
      assertLast(table, p);
    });
  }

  /** {@code c} is the most recently seen contact of its bucket. */
  private static void assertLast(RoutingTable table, Contact c) {
    List<Contact> bucket = table.bucketContents(table.bucketIndexOf(c.id()));
    assertEquals(c, bucket.get(bucket.size() - 1));
  }

  private static boolean limited(RoutingConfig config, PeerAddress address) {
    return config.subnetLimitsForAllAddresses() || !address.isLocal();
  }

  static void checkInvariants(RoutingTable table, RoutingConfig config, NodeId self, long now) {
    List<Contact> contacts = table.contacts();
    assertEquals(table.size(), contacts.size());
    Set<NodeId> ids = new HashSet<>();
    for (Contact c : contacts) {
      assertTrue(ids.add(c.id()), "duplicate " + c);
    }
    assertFalse(ids.contains(self));
    assertFalse(table.contains(self));

    int members = 0;
    int replacements = 0;
    int deepest = -1;
    Map<Subnet, Integer> tableCounts = new HashMap<>();
    // Pool ids share at most a few dozen bits with self; the totals checked below prove deeper buckets are empty.
    for (int i = 0; i < SCANNED_BUCKETS; i++) {
      List<Contact> bucket = table.bucketContents(i);
      assertTrue(bucket.size() <= config.k(), "bucket " + i + " over k");
      Map<Subnet, Integer> bucketCounts = new HashMap<>();
      for (Contact c : bucket) {
        assertEquals(i, table.bucketIndexOf(c.id()));
        assertEquals(Optional.of(c), table.get(c.id()));
        if (limited(config, c.address())) {
          bucketCounts.merge(c.address().subnet(), 1, Integer::sum);
          tableCounts.merge(c.address().subnet(), 1, Integer::sum);
        }
      }
      for (int count : bucketCounts.values()) {
        assertTrue(count <= config.maxPerSubnetPerBucket(), "bucket " + i + " over subnet limit");
      }
      if (!bucket.isEmpty()) {
        deepest = i;
      }
      members += bucket.size();

      List<Contact> cache = table.replacementsOf(i);
      assertTrue(cache.size() <= config.replacementCacheSize());
      Set<NodeId> cached = new HashSet<>();
      for (Contact c : cache) {
        assertTrue(cached.add(c.id()), "duplicate replacement " + c);
        assertFalse(table.contains(c.id()), "replacement also in a bucket: " + c);
        assertNotEquals(self, c.id());
        assertEquals(i, table.bucketIndexOf(c.id()));
      }
      replacements += cache.size();

      table.pendingCheck(i).ifPresent(p -> assertTrue(bucket.stream().anyMatch(c -> c.id().equals(p))));
    }
    assertEquals(table.size(), members);
    assertEquals(replacements, table.replacementCount());
    tableCounts.forEach((s, count) -> {
      assertTrue(count <= config.maxPerSubnetInTable(), "table over subnet limit");
      assertEquals(count, table.subnetCount(s));
    });
    assertEquals(IntStream.rangeClosed(0, deepest).boxed().toList(), table.bucketsNeedingRefresh(now, 0));
  }

  /** Self, some contacts' ids, ids in random buckets, and uniformly random ids. */
  private static List<NodeId> targets(NodeId self, Random random) {
    return List.of(
        self,
        id(random.nextInt(TestContacts.POOL_SIZE)),
        self.randomWithCommonPrefix(random.nextInt(6), random),
        self.flipBit(random.nextInt(NodeId.BITS)),
        NodeId.random(random));
  }

  private static void assertClosest(RoutingTable table, NodeId target, int n) {
    List<Contact> expected = table.contacts().stream()
        .sorted((a, b) -> target.compareDistance(a.id(), b.id()))
        .limit(n)
        .toList();
    assertEquals(expected, table.closest(target, n));
  }

  @Provide
  Arbitrary<RoutingConfig> smallConfigs() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 4),
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(1, 3),
            Arbitraries.of(false, true),
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(1, 6))
        .as(RoutingConfig::new);
  }

  @Provide
  Arbitrary<List<Op>> smallOps() {
    return ops(SMALL_POOL, 150);
  }

  @Provide
  Arbitrary<List<Op>> largeOps() {
    return ops(TestContacts.POOL_SIZE, 400);
  }

  private static Arbitrary<List<Op>> ops(int pool, int maxSize) {
    Arbitrary<Integer> contact = Arbitraries.integers().between(0, pool - 1);
    Arbitrary<Integer> variant = Arbitraries.frequency(Tuple.of(8, 0), Tuple.of(1, 1), Tuple.of(1, 2));
    Arbitrary<Op> offer = Combinators.combine(contact, variant).as(Offer::new);
    Arbitrary<Op> seen = Combinators.combine(contact, variant).as(Seen::new);
    Arbitrary<Op> fail = contact.map(Fail::new);
    Arbitrary<Op> check = Combinators.combine(Arbitraries.integers().between(0, 1000), Arbitraries.of(false, true))
        .as(Check::new);
    Arbitrary<Op> remove = contact.map(Remove::new);
    Arbitrary<Op> touch = Arbitraries.integers().between(0, NodeId.BITS - 1).map(Touch::new);
    return Arbitraries.frequencyOf(
            Tuple.of(12, offer),
            Tuple.of(3, seen),
            Tuple.of(3, fail),
            Tuple.of(4, check),
            Tuple.of(1, remove),
            Tuple.of(1, touch))
        .list()
        .ofMinSize(1)
        .ofMaxSize(maxSize)
        // Long runs matter here: buckets fill, checks pile up, replacements get promoted.
        .withSizeDistribution(RandomDistribution.uniform());
  }
}
