package org.dialtone.agent.webrtc.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.junit.jupiter.api.Test;

class ConnectionQuotaTest {
  private final Random random = new Random(11);

  @Test
  void onePageCannotTakeEveryPlaceAndAPlaceGivenBackIsFreeAgain() {
    ConnectionQuota q = new ConnectionQuota(4, 2);
    PublicKey flooder = Identity.generate(random).publicKey();
    assertTrue(q.take(flooder));
    assertTrue(q.take(flooder));
    assertFalse(q.take(flooder), "a third connection with one key");
    PublicKey other = Identity.generate(random).publicKey();
    assertTrue(q.take(other));
    assertTrue(q.take(Identity.generate(random).publicKey()));
    assertFalse(q.take(Identity.generate(random).publicKey()), "over the total");
    q.give(flooder);
    assertTrue(q.take(Identity.generate(random).publicKey()));
    q.give(Identity.generate(random).publicKey()); // never taken: changes nothing
    assertEquals(4, q.held());
  }

  @Property(tries = 200)
  void neverMoreThanTheBoundsWhateverTheOrder(@ForAll("ops") List<Integer> ops,
      @ForAll @IntRange(min = 1, max = 6) int perPeer) {
    ConnectionQuota q = new ConnectionQuota(10, perPeer);
    List<PublicKey> keys = List.of(key(1), key(2), key(3));
    List<PublicKey> taken = new ArrayList<>();
    for (int op : ops) {
      PublicKey k = keys.get(Math.floorMod(op, 3));
      if (op >= 0) {
        if (q.take(k)) {
          taken.add(k);
        }
      } else if (taken.remove(k)) {
        q.give(k);
      }
      assertTrue(q.held() <= 10);
      assertEquals(taken.size(), q.held());
      for (PublicKey each : keys) {
        assertTrue(taken.stream().filter(each::equals).count() <= perPeer);
      }
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<List<Integer>> ops() {
    return net.jqwik.api.Arbitraries.integers().between(-6, 6).list().ofMaxSize(60);
  }

  private static PublicKey key(int seed) {
    return Identity.generate(new Random(seed)).publicKey();
  }
}
