package org.dialtone.agent.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;
import org.junit.jupiter.api.Test;

/** Attack 11 of {@code docs/threats.md}, on the table: forever records, one teller or one publisher filling it. */
public class GossipQuotaTest {
  static final long NOW = GossipTest.NOW;

  public static SignedRecord host(Identity who, int shard, long expiresAtSeconds) {
    DialNumber n = DialNumber.parse("744-196884-" + shard);
    AgentInfo info = new AgentInfo(who.publicKey(), "agent", n, Role.HOST, List.of("chat"), List.of(),
        List.of("ws://127.0.0.1:8053"), List.of(n), 0, 0);
    return SignedRecord.sign(who, n.key(), RecordKind.HOST.code(), 1, expiresAtSeconds, RecordCodec.encodeAgent(info));
  }

  @Test
  void recordsExpiringInTheYear3000AreRefusedSoTheyCannotFillTheTableForGood() {
    Identity me = Identity.generate();
    KnownNumbers k = new KnownNumbers(me.publicKey());
    Identity attacker = Identity.generate();
    long year3000 = 32_503_680_000L;
    int kept = 0;
    for (int i = 0; i < 2048; i++) {
      if (k.learn(host(Identity.generate(), i % 999 + 1, year3000), attacker.publicKey(), NOW)
          == LearnOutcome.NEW) {
        kept++;
      }
    }
    assertEquals(0, kept);
    assertEquals(LearnOutcome.EXPIRY_TOO_FAR,
        k.learn(host(Identity.generate(), 5, NOW / 1000 + KnownNumbers.MAX_TTL_SECONDS + 3600), attacker.publicKey(),
            NOW));
    assertEquals(LearnOutcome.NEW,
        k.learn(host(Identity.generate(), 5, NOW / 1000 + KnownNumbers.MAX_TTL_SECONDS), attacker.publicKey(), NOW),
        "a record within the DHT's own cap is fine");
  }

  @Test
  void oneTellerOrOnePublisherGetsABoundedShareAndOthersStillGetIn() {
    Identity me = Identity.generate();
    KnownNumbers k = new KnownNumbers(me.publicKey());
    Identity teller = Identity.generate();
    long expires = NOW / 1000 + 3600;
    int fromTeller = 0;
    for (int i = 0; i < 2048; i++) {
      if (k.learn(host(Identity.generate(), i % 999 + 1, expires), teller.publicKey(), NOW) == LearnOutcome.NEW) {
        fromTeller++;
      }
    }
    assertEquals(KnownNumbers.MAX_PER_TELLER, fromTeller);
    assertEquals(KnownNumbers.MAX_PER_TELLER, k.toldBy(teller.publicKey()));
    // One publisher hosting every number, told by many tellers.
    Identity prolific = Identity.generate();
    int fromPublisher = 0;
    for (int shard = 1; shard < 300; shard++) {
      if (k.learn(host(prolific, shard, expires), Identity.generate().publicKey(), NOW) == LearnOutcome.NEW) {
        fromPublisher++;
      }
    }
    assertEquals(KnownNumbers.MAX_PER_PUBLISHER, fromPublisher);
    // An honest record from another teller still gets in; the agent's own records are never held to a quota.
    assertEquals(LearnOutcome.NEW, k.learn(host(Identity.generate(), 53, expires), Identity.generate().publicKey(),
        NOW));
    assertEquals(LearnOutcome.NEW, k.learn(host(me, 54, expires), me.publicKey(), NOW));
    System.out.printf("attack 11: of 2,048 records from one teller %d kept; of 299 from one publisher %d kept; "
        + "the table holds %d of %d%n", fromTeller, fromPublisher, k.size(), KnownNumbers.MAX_RECORDS);
    // Expiry gives the quota back.
    k.expire(expires * 1000 + 1);
    assertEquals(0, k.toldBy(teller.publicKey()));
    assertEquals(0, k.size());
  }
}
