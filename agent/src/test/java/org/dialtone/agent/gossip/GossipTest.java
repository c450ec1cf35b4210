package org.dialtone.agent.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;
import org.junit.jupiter.api.Test;

class GossipTest {
  static final long NOW = 1_800_000_000_000L;

  static SignedRecord hostRecord(Identity who, int shard, long seq) {
    DialNumber n = DialNumber.primary(shard);
    AgentInfo info = new AgentInfo(who.publicKey(), "agent", n, Role.HOST, List.of("chat"), List.of(),
        List.of("ws://127.0.0.1:8053"), List.of(n), 0, 0);
    return SignedRecord.sign(who, n.key(), RecordKind.HOST.code(), seq, NOW / 1000 + 120,
        RecordCodec.encodeAgent(info));
  }

  private static void exchange(KnownNumbers a, Identity ia, KnownNumbers b, Identity ib) {
    byte[] offer = b.answer(a.digest());
    byte[] back = a.acceptOffer(offer, ib.publicKey(), NOW);
    b.acceptRecords(back, ia.publicKey(), NOW);
  }

  @Test
  void theSeedsStoryTime0To4() {
    Identity ia = Identity.generate(new Random(1));
    Identity ib = Identity.generate(new Random(2));
    Identity ic = Identity.generate(new Random(3));
    KnownNumbers a = new KnownNumbers(ia.publicKey());
    KnownNumbers b = new KnownNumbers(ib.publicKey());
    KnownNumbers c = new KnownNumbers(ic.publicKey());
    a.learn(hostRecord(ia, 23, 1), ia.publicKey(), NOW);
    b.learn(hostRecord(ib, 53, 1), ib.publicKey(), NOW);
    c.learn(hostRecord(ic, 59, 1), ic.publicKey(), NOW);
    exchange(a, ia, b, ib);   // time 1
    assertEquals(Set.of(DialNumber.primary(23), DialNumber.primary(53)), b.numbers());
    exchange(b, ib, c, ic);   // time 2
    exchange(c, ic, a, ia);   // time 3
    Set<DialNumber> all = Set.of(DialNumber.primary(23), DialNumber.primary(53), DialNumber.primary(59));
    assertEquals(all, a.numbers());
    assertEquals(all, b.numbers());
    assertEquals(all, c.numbers());
    // push-pull is two-way: A heard 53 from B at time 1; it heard 59 from C, vouched for by C's own signature
    assertEquals(ib.publicKey(), a.sources().get(DialNumber.primary(53)).get(0).toldBy());
    var src = b.sources().get(DialNumber.primary(23)).get(0);
    assertEquals(ia.publicKey(), src.publisher());
    assertEquals(ia.publicKey(), src.toldBy());
    assertEquals(ic.publicKey(), a.sources().get(DialNumber.primary(59)).get(0).publisher());
  }

  @Test
  void forgedRecordsAreNotKeptSoNeverForwarded() {
    Identity ia = Identity.generate(new Random(1));
    SignedRecord good = hostRecord(ia, 23, 1);
    byte[] sig = good.signature();
    sig[0] ^= 1;
    SignedRecord forged = SignedRecord.of(good.key(), good.publisher(), good.kind(), good.seq(),
        good.expiresAtSeconds(), good.payload(), sig);
    KnownNumbers k = new KnownNumbers(ia.publicKey());
    assertEquals(LearnOutcome.BAD_SIGNATURE, k.learn(forged, ia.publicKey(), NOW));
    assertEquals(LearnOutcome.NEW, k.learn(good, ia.publicKey(), NOW));
    assertEquals(LearnOutcome.DUPLICATE, k.learn(good, ia.publicKey(), NOW));
    assertEquals(LearnOutcome.UPDATED, k.learn(hostRecord(ia, 23, 2), ia.publicKey(), NOW));
    assertEquals(LearnOutcome.EXPIRED, k.learn(hostRecord(ia, 24, 1), ia.publicKey(), NOW + 10 * 60_000));
    k.expire(NOW + 10 * 60_000);
    assertEquals(0, k.size());
  }

  @Test
  void spreadsInAboutLogRoundsFor100To10000Agents() {
    SignedRecord news = hostRecord(Identity.generate(new Random(7)), 59, 1);
    for (int n : new int[] {100, 1_000, 10_000}) {
      var pp = GossipSimulation.run(n, GossipSimulation.Mode.PUSH_PULL, 42, news, NOW, 100);
      var push = GossipSimulation.run(n, GossipSimulation.Mode.PUSH, 42, news, NOW, 100);
      System.out.printf("gossip n=%d: push-pull %d rounds (%d records), push %d rounds (%d records),"
          + " log2 n + ln n = %.1f%n", n, pp.rounds(), pp.recordsSent(), push.rounds(), push.recordsSent(),
          pp.pushBound());
      assertTrue(pp.rounds() > 0 && pp.rounds() <= pp.pushBound() + 3, "push-pull rounds " + pp.rounds());
      assertTrue(push.rounds() > 0 && push.rounds() <= 2 * push.pushBound(), "push rounds " + push.rounds());
      assertTrue(pp.rounds() <= push.rounds());
    }
  }
}
