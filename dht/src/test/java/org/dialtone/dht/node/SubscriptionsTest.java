package org.dialtone.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.node.Subscriptions.Result;
import org.junit.jupiter.api.Test;

/** The storing side's subscription table: bounds, refreshes, expiry and failures. */
class SubscriptionsTest {
  private final Random random = new Random(5);

  private static PeerAddress address(int i) {
    return PeerAddress.of(new byte[] {10, 0, (byte) (i >>> 8), (byte) i}, 7000);
  }

  @Test
  void aRefreshFromTheSameAddressOnlyMovesTheExpiry() {
    Subscriptions s = new Subscriptions();
    NodeId key = NodeId.random(random);
    assertEquals(Result.ADDED, s.subscribe(key, address(1), 1_000, 0));
    assertEquals(Result.REFRESHED, s.subscribe(key, address(1), 1_000, 900));
    assertEquals(1, s.size());
    assertEquals(List.of(address(1)), s.subscribers(key, 1_500));
    assertEquals(List.of(), s.subscribers(key, 1_900), "expired at 900 + 1000");
    assertEquals(0, s.size(), "dropped lazily when the key was read");
    assertEquals(0, s.keyCount());
    assertEquals(0, s.keysOf(address(1)));
  }

  @Test
  void subscribersPerKeyAreBounded() {
    Subscriptions s = new Subscriptions();
    NodeId key = NodeId.random(random);
    for (int i = 0; i < Subscriptions.DEFAULT_MAX_PER_KEY; i++) {
      assertEquals(Result.ADDED, s.subscribe(key, address(i), 10_000, 0));
    }
    assertEquals(Result.KEY_FULL, s.subscribe(key, address(1000), 10_000, 0));
    assertEquals(Result.REFRESHED, s.subscribe(key, address(5), 20_000, 1));
    assertEquals(Subscriptions.DEFAULT_MAX_PER_KEY, s.subscribers(key, 2).size());
    assertFalse(s.subscribers(key, 2).contains(address(1000)));
    // Another key still has room; once the old subscriptions expire, the key has room again.
    assertEquals(Result.ADDED, s.subscribe(NodeId.random(random), address(1000), 10_000, 0));
    assertEquals(Result.ADDED, s.subscribe(key, address(1000), 10_000, 10_000));
    assertEquals(List.of(address(5), address(1000)), s.subscribers(key, 10_001));
  }

  @Test
  void keysPerAddressAreBounded() {
    Subscriptions s = new Subscriptions();
    PeerAddress a = address(1);
    for (int i = 0; i < Subscriptions.DEFAULT_MAX_PER_ADDRESS; i++) {
      assertEquals(Result.ADDED, s.subscribe(NodeId.random(random), a, 10_000, 0));
    }
    NodeId extra = NodeId.random(random);
    assertEquals(Result.ADDRESS_FULL, s.subscribe(extra, a, 10_000, 0));
    assertEquals(Subscriptions.DEFAULT_MAX_PER_ADDRESS, s.keysOf(a));
    assertEquals(Result.ADDED, s.subscribe(extra, address(2), 10_000, 0), "other addresses are not affected");
    // Expired subscriptions of the address make room.
    assertEquals(Result.ADDED, s.subscribe(extra, a, 10_000, 10_000));
    assertEquals(1, s.keysOf(a));
  }

  @Test
  void theTableIsBoundedInTotal() {
    Subscriptions s = new Subscriptions(64, 32, 100);
    for (int i = 0; i < 100; i++) {
      assertEquals(Result.ADDED, s.subscribe(NodeId.random(random), address(i), 10_000, 0));
    }
    assertEquals(Result.FULL, s.subscribe(NodeId.random(random), address(500), 10_000, 5));
    assertEquals(100, s.size());
    assertEquals(Result.ADDED, s.subscribe(NodeId.random(random), address(500), 10_000, 10_000));
    assertEquals(1, s.size(), "the full table purged what had expired");
  }

  @Test
  void maintenancePurgesExpiredSubscriptions() {
    Subscriptions s = new Subscriptions();
    NodeId key = NodeId.random(random);
    s.subscribe(key, address(1), 1_000, 0);
    s.subscribe(key, address(2), 5_000, 0);
    s.subscribe(NodeId.random(random), address(1), 1_000, 0);
    assertEquals(2, s.purgeExpired(1_000));
    assertEquals(1, s.size());
    assertEquals(1, s.keyCount());
    assertEquals(0, s.keysOf(address(1)));
    assertEquals(List.of(address(2)), s.subscribers(key, 1_000));
  }

  @Test
  void aSubscriberIsDroppedAfterFailuresInARowOnly() {
    Subscriptions s = new Subscriptions();
    NodeId key = NodeId.random(random);
    s.subscribe(key, address(1), 10_000, 0);
    for (int round = 0; round < 3; round++) {
      for (int i = 1; i < Subscriptions.MAX_FAILURES; i++) {
        assertFalse(s.onFailed(key, address(1)));
      }
      s.onDelivered(key, address(1)); // an acknowledgement starts the count over
    }
    for (int i = 1; i < Subscriptions.MAX_FAILURES; i++) {
      assertFalse(s.onFailed(key, address(1)));
    }
    assertTrue(s.onFailed(key, address(1)));
    assertEquals(List.of(), s.subscribers(key, 1));
    assertEquals(0, s.size());
    assertFalse(s.onFailed(key, address(1)), "nothing left to drop");
  }

  @Test
  void removeEndsASubscription() {
    Subscriptions s = new Subscriptions();
    NodeId key = NodeId.random(random);
    s.subscribe(key, address(1), 10_000, 0);
    assertTrue(s.remove(key, address(1)));
    assertFalse(s.remove(key, address(1)));
    assertEquals(0, s.size());
    assertEquals(0, s.keysOf(address(1)));
  }

  @Test
  void grantsAreCapped() {
    assertEquals(120, Subscriptions.grant(120));
    assertEquals(600, Subscriptions.grant(600));
    assertEquals(600, Subscriptions.grant(Integer.MAX_VALUE));
    assertEquals(0, Subscriptions.grant(0));
    assertThrows(IllegalArgumentException.class, () -> new Subscriptions(0, 1, 1));
  }
}
