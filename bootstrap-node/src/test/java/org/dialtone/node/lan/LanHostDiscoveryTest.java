package org.dialtone.node.lan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.node.lan.LanDiscovery.Link;
import org.dialtone.node.lan.LanDiscovery.Outgoing;
import org.dialtone.node.lan.LanHostCounters.Counter;
import org.dialtone.node.lan.LanHostDiscovery.Heard;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.Test;

/** A number's hosts on the LAN: names, answers within 3x the query, rate bounds, and forged or flooded answers. */
class LanHostDiscoveryTest {
  private static final Optional<String> ETH0 = Optional.of("eth0");
  private static final DialNumber N = DialNumber.parse("744-196884-53");
  private static final Link LINK = new Link("eth0", new byte[] {(byte) 192, (byte) 168, 1, 10});

  private final ManualClock clock = new ManualClock();
  private final LanHostDiscovery host = new LanHostDiscovery(clock, List.of(LINK), new LanHostCounters());
  private final LanHostDiscovery dialler = new LanHostDiscovery(clock, List.of(LINK), new LanHostCounters());

  static PeerAddress from(int lastByte) {
    return PeerAddress.of(new byte[] {(byte) 192, (byte) 168, 1, (byte) lastByte}, 5353);
  }

  @Property(tries = 300)
  void aKeysInstanceNameReadsBackAsThatKeyAndOnlyItsCanonicalNameDoes(@ForAll @Size(32) byte[] key,
      @ForAll @IntRange(min = 1, max = 52) int at, @ForAll char c) {
    PublicKey k = PublicKey.of(key);
    String label = LanHostNames.instanceLabel(k);
    assertEquals(53, label.length());
    assertEquals(Optional.of(k), LanHostNames.keyOf(label + "." + LanHostNames.SERVICE_TYPE));
    String changed = label.substring(0, at) + c + label.substring(at + 1);
    Optional<PublicKey> read = LanHostNames.keyOf(changed + "." + LanHostNames.SERVICE_TYPE);
    assertTrue(changed.equals(label) ? read.equals(Optional.of(k)) : read.isEmpty() || !read.get().equals(k),
        "a changed name never reads as the same key: " + changed);
  }

  @Property(tries = 300)
  void anAnswerDecodesToWhatWasEncodedAndStaysWithinThreeTimesTheQuery(@ForAll @Size(32) byte[] key,
      @ForAll @IntRange(min = 1, max = 65535) int port, @ForAll @IntRange(min = 1, max = 9999) int shard)
      throws Exception {
    DialNumber n = DialNumber.primary(shard % 1000);
    String subtype = LanHostNames.subtype(n);
    String label = LanHostNames.instanceLabel(PublicKey.of(key));
    byte[] answer = MdnsCodec.hostAnswer(subtype, LanHostNames.SERVICE_TYPE, label, port, 120);
    byte[] query = MdnsCodec.query(subtype);
    assertTrue(answer.length <= 3 * query.length, answer.length + " bytes answer a " + query.length + "-byte query");
    MdnsCodec.Packet p = MdnsCodec.decode(answer);
    String instance = label + "." + LanHostNames.SERVICE_TYPE;
    assertEquals(List.of(new MdnsCodec.Ptr(subtype, 120, instance), new MdnsCodec.Srv(instance, 120, port, instance),
        new MdnsCodec.Txt(instance, 120, List.of("txtvers=1"))), p.records());
  }

  @Test
  void aDiallerHearsTheHostOfItsNumberAtTheSourceAddressWithinTheBounds() {
    PublicKey key = Identity.generate().publicKey();
    host.advertise(N, key, 8053);
    long id = dialler.ask(N).orElseThrow();
    List<Outgoing> queries = dialler.poll();
    assertEquals(1, queries.size());
    host.onPacket(ETH0, from(20), queries.get(0).data());
    host.onPacket(ETH0, from(20), queries.get(0).data()); // asked twice at once: answered once
    List<Outgoing> answers = host.poll();
    assertEquals(1, answers.size());
    assertTrue(answers.get(0).data().length <= 3 * queries.get(0).data().length);
    dialler.onPacket(ETH0, from(10), answers.get(0).data());
    assertEquals(List.of(new Heard(key, PeerAddress.parse("192.168.1.10:8053"))), dialler.heard(id));
    assertEquals(List.of(), host.poll(), "nothing more until asked again");
    for (int i = 1; i < LanHostDiscovery.QUERIES_PER_LOOKUP; i++) {
      clock.advanceMillis(1000);
      assertEquals(1, dialler.poll().size(), "one more query a second later");
    }
    clock.advanceMillis(1000);
    assertEquals(List.of(), dialler.poll(), "and no more");
    dialler.finish(id);
    dialler.onPacket(ETH0, from(10), answers.get(0).data());
    assertEquals(1, dialler.counters().get(Counter.REFUSED_UNASKED), "after the lookup an answer is unsolicited");
  }

  @Test
  void forgedAndHostileAnswersChangeNothingAndAreCounted() throws Exception {
    long id = dialler.ask(N).orElseThrow();
    dialler.poll();
    String subtype = LanHostNames.subtype(N);
    PublicKey key = Identity.generate().publicKey();
    String good = LanHostNames.instanceLabel(key);
    // another number's subtype: not asked for
    dialler.onPacket(ETH0, from(20), MdnsCodec.hostAnswer(LanHostNames.subtype(DialNumber.parse("744-196884-54")),
        LanHostNames.SERVICE_TYPE, good, 8053, 120));
    // an instance name that is no key's canonical name (upper bits of the last character set)
    String bad = good.substring(0, 52) + "7";
    dialler.onPacket(ETH0, from(20), MdnsCodec.hostAnswer(subtype, LanHostNames.SERVICE_TYPE, bad, 8053, 120));
    dialler.onPacket(ETH0, from(20), MdnsCodec.hostAnswer(subtype, LanHostNames.SERVICE_TYPE, "kshort", 8053, 120));
    dialler.onPacket(ETH0, from(20), MdnsCodec.hostAnswer(subtype, LanHostNames.SERVICE_TYPE, good, 0, 120));
    dialler.onPacket(ETH0, from(20), new byte[] {0, 0, (byte) 0x84, 0, 0, 0, 0, 1}); // truncated
    dialler.onPacket(Optional.empty(), from(20), MdnsCodec.hostAnswer(subtype, LanHostNames.SERVICE_TYPE, good,
        8053, 120)); // not on our link
    dialler.onPacket(ETH0, PeerAddress.parse("8.8.8.8:5353"), MdnsCodec.hostAnswer(subtype,
        LanHostNames.SERVICE_TYPE, good, 8053, 120)); // not private
    assertEquals(List.of(), dialler.heard(id));
    LanHostCounters c = dialler.counters();
    assertEquals(1, c.get(Counter.REFUSED_UNASKED));
    assertEquals(3, c.get(Counter.REFUSED_BAD_ANSWER));
    assertEquals(1, c.get(Counter.DROPPED_MALFORMED));
    assertEquals(2, c.get(Counter.DROPPED_OFF_LINK));
  }

  @Test
  void aFloodOfAnswersKeepsTheLookupWithinItsCaps() {
    long id = dialler.ask(N).orElseThrow();
    dialler.poll();
    String subtype = LanHostNames.subtype(N);
    int sent = 0;
    for (int src = 20; src < 30; src++) {
      for (int i = 0; i < 10; i++) {
        dialler.onPacket(ETH0, from(src), MdnsCodec.hostAnswer(subtype, LanHostNames.SERVICE_TYPE,
            LanHostNames.instanceLabel(Identity.generate().publicKey()), 8000 + i, 120));
        sent++;
        clock.advanceMillis(30); // under the inbound rate, so the caps are what stops it
      }
    }
    List<Heard> heard = dialler.heard(id);
    assertEquals(LanHostDiscovery.HEARD_PER_LOOKUP, heard.size());
    assertTrue(heard.stream().collect(java.util.stream.Collectors.groupingBy(h -> h.address().host(),
        java.util.stream.Collectors.counting())).values().stream().allMatch(n -> n <= LanHostDiscovery.HEARD_PER_SOURCE));
    LanHostCounters c = dialler.counters();
    assertEquals(sent, c.get(Counter.HOSTS_HEARD) + c.get(Counter.REFUSED_OVER_CAP));
  }

  @Test
  void aFloodOfQueriesDrawsAtMostOneAnswerPerSecondAndNumberAndTheRestIsDroppedOrCounted() {
    PublicKey key = Identity.generate().publicKey();
    host.advertise(N, key, 8053);
    byte[] query = MdnsCodec.query(LanHostNames.subtype(N));
    List<Outgoing> out = new ArrayList<>();
    for (int ms = 0; ms < 10_000; ms += 5) { // 2,000 queries in 10 s
      host.onPacket(ETH0, from(20 + ms % 7), query);
      out.addAll(host.poll());
      clock.advanceMillis(5);
    }
    assertTrue(out.size() <= 11, out.size() + " answers in 10 s");
    assertTrue(out.stream().allMatch(o -> o.data().length <= 3 * query.length));
    LanHostCounters c = host.counters();
    assertTrue(c.get(Counter.DROPPED_RATE_LIMITED) >= 2000 - 40 * 10 - 80, c.snapshot().toString());
    assertEquals(2000, c.get(Counter.PACKETS_IN) + c.get(Counter.DROPPED_RATE_LIMITED));
  }
}
