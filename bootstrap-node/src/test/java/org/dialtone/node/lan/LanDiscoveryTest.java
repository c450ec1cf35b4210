package org.dialtone.node.lan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.node.lan.LanCounters.Counter;
import org.dialtone.node.lan.LanDiscovery.Advertised;
import org.dialtone.node.lan.LanDiscovery.Link;
import org.dialtone.node.lan.LanDiscovery.Outgoing;
import org.junit.jupiter.api.Test;

class LanDiscoveryTest {
  private static final Optional<String> ETH0 = Optional.of("eth0");
  private static final NodeId SELF = NodeId.ofHex("11".repeat(32));

  private final ManualClock clock = new ManualClock();
  private final LanCounters counters = new LanCounters();
  private final LanDiscovery lan = new LanDiscovery(clock, LanLimits.defaults(),
      List.of(new Link("eth0", new byte[] {(byte) 192, (byte) 168, 1, 10})), Optional.of(new Advertised(SELF, 7440)),
      counters);

  static byte[] advert(String idHex, String instanceHex, int port, List<String> txt, long ttl) {
    return MdnsCodec.response(LanDiscovery.SERVICE_TYPE, "dialtone-" + instanceHex.substring(0, 16), "h.local", port,
        txt, new byte[] {(byte) 192, (byte) 168, 1, 99}, ttl);
  }

  static byte[] advert(NodeId id, int port) {
    return advert(id.toHex(), id.toHex(), port, List.of("txtvers=1", "id=" + id.toHex()), 120);
  }

  static PeerAddress from(int lastByte) {
    return PeerAddress.of(new byte[] {(byte) 192, (byte) 168, 1, (byte) lastByte}, 5353);
  }

  @Test
  void aValidAdvertBecomesACandidateAtTheSourceAddressWithItsPort() {
    NodeId id = NodeId.ofHex("ab".repeat(32));
    lan.onPacket(ETH0, from(20), advert(id, 7441));
    List<LanPeer> c = lan.takeCandidates();
    assertEquals(List.of(new LanPeer(id, PeerAddress.parse("192.168.1.20:7441"), "eth0")), c);
    assertEquals(List.of(), lan.takeCandidates(), "a candidate is offered once");
    lan.verified(c.get(0));
    assertEquals(c, lan.verifiedPeers());
    assertEquals(0, counters.refusedTotal());
  }

  @Test
  void hostileAdvertsChangeNothingAndAreCounted() {
    String good = "ab".repeat(32);
    List<String> goodTxt = List.of("id=" + good);
    lan.onPacket(ETH0, from(20), advert(good, "cd".repeat(32), 7441, goodTxt, 120)); // name does not repeat the id
    lan.onPacket(ETH0, from(20), advert(good, good, 7441, List.of("id=" + good.toUpperCase()), 120));
    lan.onPacket(ETH0, from(20), advert(good, good, 7441, List.of("id=" + good.substring(2)), 120));
    lan.onPacket(ETH0, from(20), advert(good, good, 7441, List.of("id=" + good, "id=" + good), 120));
    lan.onPacket(ETH0, from(20), advert(good, good, 7441, List.of("txtvers=1"), 120));
    lan.onPacket(ETH0, from(20), advert(good, good, 0, goodTxt, 120)); // absurd port
    lan.onPacket(ETH0, from(20), new byte[] {1, 2, 3}); // not DNS
    lan.onPacket(Optional.empty(), from(20), advert(NodeId.ofHex(good), 7441)); // not on our link
    lan.onPacket(ETH0, PeerAddress.parse("8.8.8.8:5353"), advert(NodeId.ofHex(good), 7441)); // not private
    lan.onPacket(Optional.of("wlan9"), from(20), advert(NodeId.ofHex(good), 7441)); // not our interface
    assertEquals(List.of(), lan.peers());
    assertEquals(5, counters.get(Counter.REFUSED_BAD_ID));
    assertEquals(1, counters.get(Counter.REFUSED_BAD_PORT));
    assertEquals(1, counters.get(Counter.DROPPED_MALFORMED));
    assertEquals(3, counters.get(Counter.DROPPED_OFF_LINK));
  }

  @Test
  void aVerifiedIdCannotBeTakenOverByAnotherAddressButAFailedClaimGivesWay() {
    NodeId id = NodeId.ofHex("ab".repeat(32));
    lan.onPacket(ETH0, from(20), advert(id, 7441));
    LanPeer real = lan.takeCandidates().get(0);
    lan.verified(real);
    lan.onPacket(ETH0, from(66), advert(id, 7441)); // the forger
    assertEquals(List.of(real), lan.peers());
    assertEquals(1, counters.get(Counter.REFUSED_CONFLICT));

    NodeId other = NodeId.ofHex("cd".repeat(32));
    lan.onPacket(ETH0, from(66), advert(other, 7441)); // the forger claims first this time
    LanPeer forged = lan.takeCandidates().get(0);
    lan.unverified(forged); // its address answered with another key
    lan.onPacket(ETH0, from(21), advert(other, 7441)); // the real one
    assertEquals(PeerAddress.parse("192.168.1.21:7441"), lan.takeCandidates().get(0).address());
  }

  @Test
  void aGoodbyeFromThePeerForgetsItAGoodbyeFromAnotherAddressDoesNot() {
    NodeId id = NodeId.ofHex("ab".repeat(32));
    lan.onPacket(ETH0, from(20), advert(id, 7441));
    lan.onPacket(ETH0, from(66), advert(id.toHex(), id.toHex(), 7441, List.of("id=" + id.toHex()), 0));
    assertEquals(1, lan.peers().size());
    lan.onPacket(ETH0, from(20), advert(id.toHex(), id.toHex(), 7441, List.of("id=" + id.toHex()), 0));
    assertEquals(0, lan.peers().size());
  }

  @Test
  void adsAreForgottenAfterTheirTimeToLiveCappedWhateverTheyClaim() {
    NodeId id = NodeId.ofHex("ab".repeat(32));
    lan.onPacket(ETH0, from(20), advert(id.toHex(), id.toHex(), 7441, List.of("id=" + id.toHex()), 0xffffffffL));
    clock.advanceMillis(LanLimits.defaults().maxRememberedTtl().toMillis());
    assertEquals(List.of(), lan.peers());
  }

  @Test
  void ourOwnAdvertLoopedBackIsIgnoredAndAQueryIsAnswered() {
    lan.poll(); // start: a query and the first announcement
    clock.advanceMillis(5_000);
    lan.poll(); // the rest of the start
    lan.onPacket(ETH0, from(10), advert(SELF, 7440));
    assertEquals(List.of(), lan.peers());
    clock.advanceMillis(5_000);
    long before = counters.get(Counter.ANNOUNCEMENTS_SENT);
    lan.onPacket(ETH0, from(20), MdnsCodec.query(LanDiscovery.SERVICE_TYPE));
    List<Outgoing> out = lan.poll();
    assertEquals(before + 1, counters.get(Counter.ANNOUNCEMENTS_SENT));
    assertTrue(out.stream().anyMatch(o -> o.iface().equals("eth0")));
  }

  /** A flood of distinct ids from one host, and from many: the table stays within its caps, the rest is counted. */
  @Property(tries = 50)
  void theTableStaysWithinItsCaps(@ForAll @IntRange(min = 1, max = 400) int adverts, @ForAll long seed) {
    ManualClock c = new ManualClock();
    LanCounters k = new LanCounters();
    LanLimits limits = LanLimits.defaults();
    LanDiscovery d = new LanDiscovery(c, limits, List.of(new Link("eth0", new byte[] {(byte) 192, (byte) 168, 1, 1})),
        Optional.empty(), k);
    Random r = new Random(seed);
    for (int i = 0; i < adverts; i++) {
      c.advanceMillis(1000 / limits.inboundPerSecond());
      byte[] idBytes = new byte[32];
      r.nextBytes(idBytes);
      d.onPacket(ETH0, from(2 + r.nextInt(r.nextBoolean() ? 2 : 200)), advert(NodeId.of(idBytes), 7441));
    }
    List<LanPeer> peers = d.peers();
    assertTrue(peers.size() <= limits.peersPerInterface());
    peers.stream().collect(java.util.stream.Collectors.groupingBy(p -> p.address().host()))
        .forEach((host, ps) -> assertTrue(ps.size() <= limits.peersPerSource(), host));
    assertEquals(adverts, peers.size() + k.get(Counter.REFUSED_OVER_CAP));
  }

  /**
   * Whatever arrives (floods of queries, adverts, junk) and however time passes, what we send stays bounded: in any
   * minute after the first, at most 1 query and 60 responses per link, plus the start's queries and announcements.
   */
  @Property(tries = 20)
  void outboundTrafficIsBoundedWhateverArrives(@ForAll long seed) {
    ManualClock c = new ManualClock();
    LanCounters k = new LanCounters();
    LanLimits limits = LanLimits.defaults();
    LanDiscovery d = new LanDiscovery(c, limits, List.of(new Link("eth0", new byte[] {(byte) 192, (byte) 168, 1, 1})),
        Optional.of(new Advertised(SELF, 7440)), k);
    Random r = new Random(seed);
    List<long[]> sent = new ArrayList<>(); // {time, isQuery}
    long start = c.monotonicMillis();
    for (int step = 0; step < 8_000; step++) {
      c.advanceMillis(r.nextInt(60));
      int burst = r.nextInt(5);
      for (int i = 0; i < burst; i++) {
        byte[] in = switch (r.nextInt(3)) {
          case 0 -> MdnsCodec.query(LanDiscovery.SERVICE_TYPE);
          case 1 -> advert(NodeId.random(r), 1 + r.nextInt(65535));
          default -> new byte[r.nextInt(40)];
        };
        d.onPacket(ETH0, from(2 + r.nextInt(250)), in);
      }
      for (Outgoing o : d.poll()) {
        boolean query = o.data()[2] == 0; // the flags' QR bit
        sent.add(new long[] {c.monotonicMillis(), query ? 1 : 0});
      }
    }
    long end = c.monotonicMillis();
    for (long t = start + 60_000; t + 60_000 <= end; t += 15_000) {
      long from = t;
      long queries = sent.stream().filter(s -> s[0] >= from && s[0] < from + 60_000 && s[1] == 1).count();
      long responses = sent.stream().filter(s -> s[0] >= from && s[0] < from + 60_000 && s[1] == 0).count();
      assertTrue(queries <= 2, "queries in a minute: " + queries);
      assertTrue(responses <= 60, "responses in a minute: " + responses);
    }
    assertTrue(sent.stream().filter(s -> s[0] < start + 60_000).count() <= 7 + 60,
        "the first minute: at most 7 queries, 2 announcements and 1 response a second");
  }
}
