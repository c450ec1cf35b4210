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
    return PeerAddress.of(new byte[] {10, (byte) (i >>> 8), (byte) i, 1}, 7000); // each in its own /24
  }

  // An IPv6 address 2001:db8:<site>:<subnet>::<host>.
  private static PeerAddress ipv6(int site, int subnet, int host, int port) {
    byte[] ip = new byte[16];
    ip[0] = 0x20;
    ip[1] = 0x01;
    ip[2] = 0x0d;
    ip[3] = (byte) 0xb8;
    ip[4] = (byte) (site >>> 8);
    ip[5] = (byte) site;
    ip[6] = (byte) (subnet >>> 8);
    ip[7] = (byte) subnet;
    ip[14] = (byte) (host >>> 8);
    ip[15] = (byte) host;
    return PeerAddress.of(ip, port);
  }

  /**
   * Attack 6 over IPv6 (issue 9, item 14: limits per /48 as well as /64): a /64 is one host however many addresses it
   * uses, and a /48 one network however many /64s, so a site squatting a key gets its network's share and no more.
   */
  @Test
  void anIpv6SiteGetsOneNetworksShareHoweverManyAddressesAndSubnetsItUses() {
    Subscriptions s = new Subscriptions();
    NodeId key = NodeId.random(random);
    int fromOneHost = 0;
    for (int host = 1; host <= 64; host++) {
      if (s.subscribe(key, ipv6(1, 1, host, 7000), 10_000, 0) == Result.ADDED) {
        fromOneHost++;
      }
    }
    int fromTheSite = fromOneHost;
    for (int subnet = 2; subnet <= 64; subnet++) {
      if (s.subscribe(key, ipv6(1, subnet, 1, 7000), 10_000, 0) == Result.ADDED) {
        fromTheSite++;
      }
    }
    assertEquals(Subscriptions.DEFAULT_MAX_PER_IP_PER_KEY, fromOneHost, "64 addresses of one /64");
    assertEquals(Subscriptions.DEFAULT_MAX_PER_PREFIX_PER_KEY, fromTheSite, "64 /64s of one /48");
    assertEquals(Result.ADDED, s.subscribe(key, ipv6(2, 1, 1, 7000), 10_000, 0), "another /48 still gets in");
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

  /** Attack 6: one IP on 64 ports, then its whole /24, try to take every subscriber slot of one key. */
  @Test
  void oneIpOrPrefixTakesABoundedShareOfAKeysSlotsAndOthersStillGetOne() {
    Subscriptions s = new Subscriptions();
    NodeId key = NodeId.random(random);
    int accepted = 0;
    for (int port = 0; port < 64; port++) {
      if (s.subscribe(key, PeerAddress.of(new byte[] {66, 6, 6, 6}, 20_000 + port), 60_000, 0).accepted()) {
        accepted++;
      }
    }
    assertEquals(Subscriptions.DEFAULT_MAX_PER_IP_PER_KEY, accepted, "one IP, any ports");
    assertEquals(Result.IP_FULL, s.subscribe(key, PeerAddress.of(new byte[] {66, 6, 6, 6}, 1), 60_000, 0));
    for (int host = 1; host < 255; host++) {
      s.subscribe(key, PeerAddress.of(new byte[] {66, 6, 6, (byte) host}, 7000), 60_000, 0);
    }
    assertEquals(Subscriptions.DEFAULT_MAX_PER_PREFIX_PER_KEY, s.subscribers(key, 1).size(), "one /24, any hosts");
    assertEquals(Result.ADDED, s.subscribe(key, PeerAddress.of(new byte[] {81, 2, 3, 4}, 7000), 60_000, 0),
        "an honest watcher from another prefix still gets a slot");
    // The bounds hold across keys too: one IP cannot hold more than its total.
    int total = 0;
    for (int i = 0; i < 200; i++) {
      if (s.subscribe(NodeId.random(random), PeerAddress.of(new byte[] {99, 9, 9, 9}, 1000 + i), 60_000, 0)
          .accepted()) {
        total++;
      }
    }
    assertEquals(Subscriptions.DEFAULT_MAX_PER_IP, total);
    // Expiry gives the slots back, and the counts with them.
    assertEquals(0, s.purgeExpired(59_999));
    s.purgeExpired(60_000);
    assertEquals(0, s.size());
    assertEquals(Result.ADDED, s.subscribe(key, PeerAddress.of(new byte[] {66, 6, 6, 6}, 1), 60_000, 60_000));
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
