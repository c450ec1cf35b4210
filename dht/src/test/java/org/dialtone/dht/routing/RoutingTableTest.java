package org.dialtone.dht.routing;

import static org.dialtone.dht.routing.TestContacts.contact;
import static org.dialtone.dht.routing.TestContacts.id;
import static org.dialtone.dht.routing.TestContacts.inBucket;
import static org.dialtone.dht.routing.TestContacts.key;
import static org.dialtone.dht.routing.TestContacts.loopback;
import static org.dialtone.dht.routing.TestContacts.publicAddress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.routing.InsertResult.Inserted;
import org.dialtone.dht.routing.InsertResult.PendingCheck;
import org.dialtone.dht.routing.InsertResult.Reason;
import org.dialtone.dht.routing.InsertResult.Rejected;
import org.dialtone.dht.routing.InsertResult.Updated;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  private static final NodeId SELF = NodeId.random(new Random(7));
  private static final RoutingConfig SMALL = RoutingConfig.builder().k(3).replacementCacheSize(2).build();

  /** Pool indices in bucket 0 of SELF, each given its own public /24 so subnet limits stay out of the way. */
  private static final List<Integer> BUCKET0 = inBucket(SELF, 0);

  private static Contact farContact(int n) {
    return contact(BUCKET0.get(n), publicAddress(n, 1, 7000));
  }

  /** A table with bucket 0 full (k = 3): contacts farContact(0..2), farContact(0) least recently seen. */
  private static RoutingTable fullBucket() {
    RoutingTable table = new RoutingTable(SELF, SMALL);
    for (int i = 0; i < 3; i++) {
      assertEquals(new Inserted(farContact(i)), table.offer(farContact(i), 10 + i));
    }
    return table;
  }

  @Test
  void pingBeforeEvictDeadHeadIsReplacedByCandidate() {
    RoutingTable table = fullBucket();
    InsertResult result = table.offer(farContact(3), 100);
    assertEquals(new PendingCheck(farContact(3), farContact(0)), result);
    assertFalse(table.contains(farContact(3).id()));
    assertEquals(1, table.replacementCount());

    assertEquals(Optional.of(farContact(3)), table.onCheckResult(farContact(0).id(), false, 200));
    assertFalse(table.contains(farContact(0).id()));
    assertEquals(List.of(farContact(1), farContact(2), farContact(3)), table.bucketContents(0));
    assertEquals(0, table.replacementCount());
    assertEquals(Optional.empty(), table.pendingCheck(0));
  }

  @Test
  void pingBeforeEvictLiveHeadStaysAndCandidateWaits() {
    RoutingTable table = fullBucket();
    table.offer(farContact(3), 100);
    assertEquals(Optional.empty(), table.onCheckResult(farContact(0).id(), true, 200));
    assertEquals(List.of(farContact(1), farContact(2), farContact(0)), table.bucketContents(0));
    assertFalse(table.contains(farContact(3).id()));
    assertEquals(List.of(farContact(3)), table.replacementsOf(0));
    assertEquals(200, table.lastSeen(farContact(0).id()).getAsLong());

    // The next candidate starts a new check, now against the new head.
    assertEquals(new PendingCheck(farContact(4), farContact(1)), table.offer(farContact(4), 300));
  }

  @Test
  void oneCheckPerBucketAtATimeOthersAreCached() {
    RoutingTable table = fullBucket();
    assertInstanceOf(PendingCheck.class, table.offer(farContact(3), 100));
    assertEquals(new Rejected(Reason.CHECK_IN_PROGRESS), table.offer(farContact(4), 101));
    assertEquals(new Rejected(Reason.CHECK_IN_PROGRESS), table.offer(farContact(5), 102));
    // Cache size 2: newest first, the oldest (farContact(3)) dropped.
    assertEquals(List.of(farContact(5), farContact(4)), table.replacementsOf(0));
    // Re-offering a cached contact moves it to the front without duplicating it.
    table.offer(farContact(4), 103);
    assertEquals(List.of(farContact(4), farContact(5)), table.replacementsOf(0));

    assertEquals(Optional.of(farContact(4)), table.onCheckResult(farContact(0).id(), false, 200));
    assertEquals(List.of(farContact(5)), table.replacementsOf(0));
  }

  @Test
  void removingTheCheckedContactClearsTheCheck() {
    RoutingTable table = fullBucket();
    table.offer(farContact(3), 100);
    assertEquals(Optional.of(farContact(3)), table.remove(farContact(0).id()));
    assertEquals(Optional.empty(), table.pendingCheck(0));
    assertEquals(new PendingCheck(farContact(4), farContact(1)), table.offer(farContact(4), 101));
    // A late answer for the removed contact changes nothing.
    assertEquals(Optional.empty(), table.onCheckResult(farContact(0).id(), false, 102));
    assertEquals(3, table.size());
  }

  @Test
  void markFailedRemovesAfterMaxFailuresAndPromotesTheNewestReplacement() {
    RoutingTable table = fullBucket();
    table.offer(farContact(3), 100);
    table.offer(farContact(4), 101);
    Contact victim = farContact(1);
    assertEquals(Optional.empty(), table.markFailed(victim.id()));
    assertTrue(table.contains(victim.id()));
    assertEquals(Optional.of(farContact(4)), table.markFailed(victim.id()));
    assertFalse(table.contains(victim.id()));
    assertTrue(table.contains(farContact(4).id()));
    assertEquals(List.of(farContact(3)), table.replacementsOf(0));
  }

  @Test
  void markSeenResetsFailuresAndMovesToTail() {
    RoutingTable table = fullBucket();
    Contact c = farContact(0);
    table.markFailed(c.id());
    assertTrue(table.markSeen(c.id(), c.address(), 50));
    assertEquals(c, table.bucketContents(0).get(2));
    assertEquals(Optional.empty(), table.markFailed(c.id()));
    assertTrue(table.contains(c.id()));
    assertFalse(table.markSeen(c.id(), publicAddress(99, 9, 9), 51));
    assertFalse(table.markSeen(farContact(9).id(), farContact(9).address(), 52));
  }

  @Test
  void markFailedWithoutReplacementJustRemoves() {
    RoutingTable table = new RoutingTable(SELF, SMALL.toBuilder().maxFailures(1).build());
    table.offer(farContact(0), 1);
    assertEquals(Optional.empty(), table.markFailed(farContact(0).id()));
    assertEquals(0, table.size());
    assertEquals(Optional.empty(), table.markFailed(farContact(0).id()));
  }

  @Test
  void knownIdAtAnotherAddressIsRejectedUntilTheOldOneFails() {
    RoutingTable table = new RoutingTable(SELF, SMALL.toBuilder().maxFailures(1).build());
    Contact original = farContact(0);
    Contact moved = contact(BUCKET0.get(0), publicAddress(200, 2, 7001));
    table.offer(original, 1);
    assertEquals(new Rejected(Reason.ADDRESS_MISMATCH), table.offer(moved, 2));
    assertEquals(Optional.of(original), table.get(original.id()));
    assertEquals(new Updated(original), table.offer(original, 3));
    table.markFailed(original.id());
    assertEquals(new Inserted(moved), table.offer(moved, 4));
  }

  @Test
  void selfIsNeverInserted() {
    Contact me = contact(0, publicAddress(1, 1, 1));
    RoutingTable table = new RoutingTable(me.id(), SMALL);
    assertEquals(new Rejected(Reason.SELF), table.offer(me, 1));
    assertEquals(0, table.size());
    assertEquals(255, table.bucketIndexOf(me.id()));
  }

  @Test
  void loopbackIsExemptByDefault() {
    RoutingTable table = new RoutingTable(SELF, RoutingConfig.defaults());
    for (int i = 0; i < 15; i++) {
      assertEquals(new Inserted(contact(BUCKET0.get(i), loopback(9000 + i))),
          table.offer(contact(BUCKET0.get(i), loopback(9000 + i)), i));
    }
    assertEquals(15, table.size());
  }

  @Test
  void loopbackIsLimitedWhenLimitsApplyToAllAddresses() {
    RoutingTable table = new RoutingTable(SELF, RoutingConfig.builder().subnetLimitsForAllAddresses(true).build());
    assertInstanceOf(Inserted.class, table.offer(contact(BUCKET0.get(0), loopback(9000)), 1));
    assertInstanceOf(Inserted.class, table.offer(contact(BUCKET0.get(1), loopback(9001)), 1));
    assertEquals(new Rejected(Reason.SUBNET_LIMIT), table.offer(contact(BUCKET0.get(2), loopback(9002)), 1));
    assertEquals(0, table.replacementCount());
  }

  /** Issue 9, item 14: IPv6 limits per /48 as well as /64. A site's many /64s are one network to the table. */
  @Test
  void anIpv6SiteFillsNoMoreThanOneNetworksShareOfTheTable() {
    RoutingTable table = new RoutingTable(SELF, RoutingConfig.defaults());
    int admitted = 0;
    for (int i = 0; i < 12; i++) {
      // 2001:db8:1:<i>::1, each in its own /64 of one /48
      PeerAddress a = PeerAddress.of(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 1, 0, (byte) i, 0, 0, 0, 0, 0, 0,
          0, 1}, 7000);
      if (table.offer(contact(BUCKET0.get(i), a), 1) instanceof Inserted) {
        admitted++;
      }
    }
    assertEquals(RoutingConfig.DEFAULT_MAX_PER_SUBNET_PER_BUCKET, admitted, "twelve /64s of one /48 in one bucket");
    PeerAddress otherSite = PeerAddress.of(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1}, 7000);
    assertInstanceOf(Inserted.class, table.offer(contact(BUCKET0.get(12), otherSite), 1), "another /48 gets in");
  }

  @Test
  void publicSubnetLimitsPerBucketAndPerTable() {
    RoutingConfig config = RoutingConfig.builder().maxPerSubnetPerBucket(2).maxPerSubnetInTable(3).build();
    RoutingTable table = new RoutingTable(SELF, config);
    List<Integer> bucket1 = inBucket(SELF, 1);
    PeerAddress.Subnet subnet = publicAddress(5, 1, 1).subnet();
    table.offer(contact(BUCKET0.get(0), publicAddress(5, 1, 1)), 1);
    table.offer(contact(BUCKET0.get(1), publicAddress(5, 2, 1)), 1);
    assertEquals(new Rejected(Reason.SUBNET_LIMIT), table.offer(contact(BUCKET0.get(2), publicAddress(5, 3, 1)), 1));
    // Another bucket has room for the subnet, until the table-wide limit.
    assertInstanceOf(Inserted.class, table.offer(contact(bucket1.get(0), publicAddress(5, 4, 1)), 1));
    assertEquals(new Rejected(Reason.SUBNET_LIMIT), table.offer(contact(bucket1.get(1), publicAddress(5, 5, 1)), 1));
    assertEquals(3, table.subnetCount(subnet));
    // Another subnet is fine; a private address is exempt.
    assertInstanceOf(Inserted.class, table.offer(contact(BUCKET0.get(3), publicAddress(6, 1, 1)), 1));
    assertInstanceOf(Inserted.class,
        table.offer(contact(BUCKET0.get(4), PeerAddress.of(new byte[] {10, 0, 0, 1}, 1)), 1));
    // Leaving frees the slot, and the count map forgets empty subnets.
    table.remove(id(BUCKET0.get(0)));
    assertEquals(2, table.subnetCount(subnet));
    assertInstanceOf(Inserted.class, table.offer(contact(BUCKET0.get(2), publicAddress(5, 3, 1)), 2));
  }

  @Test
  void promotionSkipsReplacementsThatWouldBreakTheSubnetLimit() {
    RoutingConfig config = SMALL.toBuilder().k(2).maxPerSubnetPerBucket(1).maxPerSubnetInTable(1).build();
    RoutingTable table = new RoutingTable(SELF, config);
    List<Integer> bucket1 = inBucket(SELF, 1);
    Contact a = contact(BUCKET0.get(0), publicAddress(1, 1, 1));
    Contact b = contact(BUCKET0.get(1), publicAddress(2, 1, 1));
    Contact elsewhere = contact(bucket1.get(0), publicAddress(3, 1, 1));
    Contact sameSubnetAsElsewhere = contact(BUCKET0.get(2), publicAddress(3, 2, 1));
    Contact fresh = contact(BUCKET0.get(3), publicAddress(4, 1, 1));
    table.offer(a, 1);
    table.offer(b, 1);
    assertEquals(new PendingCheck(fresh, a), table.offer(fresh, 2));
    table.onCheckResult(a.id(), true, 3);
    // Subnet 3 is free now, so this one is admitted to the cache.
    assertInstanceOf(PendingCheck.class, table.offer(sameSubnetAsElsewhere, 4));
    assertEquals(List.of(sameSubnetAsElsewhere, fresh), table.replacementsOf(0));
    // Now subnet 3 fills up elsewhere in the table: the newest replacement no longer fits.
    table.offer(elsewhere, 5);
    assertEquals(Optional.of(fresh), table.onCheckResult(b.id(), false, 6));
    assertEquals(List.of(sameSubnetAsElsewhere), table.replacementsOf(0));
    assertEquals(Optional.empty(), table.remove(fresh.id()));
    assertFalse(table.contains(sameSubnetAsElsewhere.id()));
  }

  @Test
  void bucketsNeedingRefreshRespectsIntervalAndDeepestNonEmptyBucket() {
    RoutingTable table = new RoutingTable(SELF, SMALL, 1_000);
    assertEquals(List.of(), table.bucketsNeedingRefresh(1_000_000, 100));
    int deep = inBucket(SELF, 3).get(0);
    table.offer(contact(deep, publicAddress(1, 1, 1)), 1_050);  // touches bucket 3
    assertEquals(List.of(), table.bucketsNeedingRefresh(1_099, 100));
    assertEquals(List.of(0, 1, 2), table.bucketsNeedingRefresh(1_100, 100));
    table.touchBucket(1, 1_100);
    assertEquals(List.of(0, 2, 3), table.bucketsNeedingRefresh(1_150, 100));
    assertEquals(List.of(0, 2, 3), table.bucketsNeedingRefresh(1_199, 100));
    assertEquals(List.of(0, 1, 2, 3), table.bucketsNeedingRefresh(1_200, 100));
    assertThrows(IndexOutOfBoundsException.class, () -> table.touchBucket(256, 0));
    assertEquals(List.of(0, 1, 2, 3), new ArrayList<>(table.bucketsNeedingRefresh(5_000, 0)));
  }

  @Test
  void twoArgumentConstructorStartsAtTimeZero() {
    RoutingTable table = new RoutingTable(SELF, SMALL);
    table.offer(farContact(0), 0);
    assertEquals(List.of(), table.bucketsNeedingRefresh(99, 100));
    assertEquals(List.of(0), table.bucketsNeedingRefresh(100, 100));
  }

  @Test
  void closestIsNearestFirstAndNeverSelf() {
    Contact me = contact(0, publicAddress(1, 1, 1));
    RoutingTable table = new RoutingTable(me.id(), RoutingConfig.defaults());
    List<Contact> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Contact c = contact(i, loopback(1000 + i));
      if (table.offer(c, i) instanceof Inserted) {
        all.add(c);
      }
    }
    NodeId target = id(5);
    List<Contact> expected = all.stream()
        .sorted((x, y) -> target.compareDistance(x.id(), y.id())).limit(7).toList();
    assertEquals(expected, table.closest(target, 7));
    assertEquals(id(5), table.closest(target, 1).get(0).id());
    assertFalse(table.closest(me.id(), 100).stream().anyMatch(c -> c.id().equals(me.id())));
    assertEquals(all.size(), table.closest(me.id(), 100).size());
    assertEquals(List.of(), table.closest(target, 0));
    assertThrows(IllegalArgumentException.class, () -> table.closest(target, -1));
  }

  @Test
  void contactMustOwnItsId() {
    assertThrows(IllegalArgumentException.class, () -> new Contact(id(1), key(2), loopback(1)));
    assertThrows(NullPointerException.class, () -> new Contact(id(1), key(1), null));
    assertEquals(id(3), Contact.of(key(3), loopback(1)).id());
  }

  @Test
  void configIsValidated() {
    RoutingConfig d = RoutingConfig.defaults();
    assertEquals(new RoutingConfig(20, 10, 2, false, 2, 10), d);
    assertThrows(IllegalArgumentException.class, () -> d.toBuilder().k(0).build());
    assertThrows(IllegalArgumentException.class, () -> d.toBuilder().k(257).build());
    assertThrows(IllegalArgumentException.class, () -> d.toBuilder().replacementCacheSize(0).build());
    assertThrows(IllegalArgumentException.class, () -> d.toBuilder().maxFailures(0).build());
    assertThrows(IllegalArgumentException.class, () -> d.toBuilder().maxPerSubnetPerBucket(0).build());
    assertThrows(IllegalArgumentException.class, () -> d.toBuilder().maxPerSubnetInTable(0).build());
    assertEquals(256, d.toBuilder().k(256).build().k());
    assertTrue(d.toBuilder().subnetLimitsForAllAddresses(true).build().subnetLimitsForAllAddresses());
  }
}
