package org.dialtone.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import org.dialtone.dht.node.NotifyBudget.Decision;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.junit.jupiter.api.Test;

/** The NOTIFY budget: one in flight per subscriber, a small wait slot, a cap in all, drops past it. */
class NotifyBudgetTest {
  private final Random random = new Random(3);
  private final NodeId key = NodeId.random(random);

  private SignedRecord record(Identity publisher, long seq) {
    return SignedRecord.sign(publisher, key, 1, seq, 4_000_000_000L, new byte[0]);
  }

  private static PeerAddress subscriber(int i) {
    return PeerAddress.of(new byte[] {10, (byte) (i >>> 8), (byte) i, 1}, 7000);
  }

  @Test
  void oneInFlightPerSubscriberTheNewestVersionWaitsAndGoesOutOnTheAck() {
    NotifyBudget b = new NotifyBudget(16);
    Identity a = Identity.generate(random);
    Identity c = Identity.generate(random);
    assertEquals(Decision.SEND, b.offer(subscriber(1), record(a, 1)));
    assertEquals(Decision.WAITING, b.offer(subscriber(1), record(a, 2)));
    assertEquals(Decision.WAITING, b.offer(subscriber(1), record(a, 3)), "replaces seq 2");
    assertEquals(Decision.WAITING, b.offer(subscriber(1), record(c, 1)), "another publisher waits beside it");
    assertEquals(1, b.inFlight());
    assertEquals(2, b.waiting());
    assertEquals(Optional.of(record(a, 3)).map(SignedRecord::seq), b.onDone(subscriber(1), true).map(SignedRecord::seq));
    assertEquals(c.publicKey(), b.onDone(subscriber(1), true).orElseThrow().publisher());
    assertEquals(Optional.empty(), b.onDone(subscriber(1), true));
    assertEquals(0, b.inFlight());
    assertEquals(0, b.waiting());
  }

  @Test
  void aSilentSubscriberLosesWhatWaitedAndTheTotalIsCapped() {
    NotifyBudget b = new NotifyBudget(4);
    for (int i = 0; i < 4; i++) {
      assertEquals(Decision.SEND, b.offer(subscriber(i), record(Identity.generate(random), 1)));
    }
    assertEquals(Decision.DROPPED, b.offer(subscriber(99), record(Identity.generate(random), 1)), "budget spent");
    int waited = 0;
    int dropped = 0;
    for (int i = 0; i < 100; i++) {
      Decision d = b.offer(subscriber(0), record(Identity.generate(random), 1));
      waited += d == Decision.WAITING ? 1 : 0;
      dropped += d == Decision.DROPPED ? 1 : 0;
    }
    assertEquals(NotifyBudget.MAX_WAITING_PER_SUBSCRIBER, waited);
    assertEquals(100 - waited, dropped);
    assertEquals(Optional.empty(), b.onDone(subscriber(0), false), "a timeout drops what waited");
    assertEquals(0, b.waiting());
    assertEquals(3, b.inFlight());
    assertTrue(b.offer(subscriber(99), record(Identity.generate(random), 1)) == Decision.SEND);
  }
}
