package org.dialtone.agent.reach.relay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.VirtualScheduler;

class RelayBookProperties {
  private static final List<PublicKey> KEYS = new ArrayList<>();

  static {
    Random r = new Random(5);
    for (int i = 0; i < 12; i++) {
      KEYS.add(Identity.generate(r).publicKey());
    }
  }

  @Provide
  Arbitrary<List<int[]>> operations() {
    // [op, key, subnet, host, amount]
    return Arbitraries.integers().between(0, 4).flatMap(op -> Arbitraries.integers().between(0, 11)
        .flatMap(k -> Arbitraries.integers().between(0, 3).flatMap(s -> Arbitraries.integers().between(0, 11)
            .flatMap(k2 -> Arbitraries.integers().between(0, 700).map(n -> new int[] {op, k, s, k2, n})))))
        .list().ofMaxSize(120);
  }

  /** Whatever the sequence of reservations, circuits, traffic and time, no limit is ever exceeded. */
  @Property(tries = 200)
  void noLimitIsEverExceeded(@ForAll("operations") List<int[]> ops) {
    RelayLimits limits = new RelayLimits(true, 6, 3, 10_000, 5, 2, 3, 5_000, 2_000);
    VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
    RelayBook book = new RelayBook(time.clock(), limits);
    Map<Long, Circuit> open = new HashMap<>();
    Map<Long, Long> carried = new HashMap<>();
    for (int[] op : ops) {
      PeerAddress from = PeerAddress.parse("203.0." + op[2] + "." + (op[1] + 1) + ":5000");
      switch (op[0]) {
        case 0 -> book.reserve(KEYS.get(op[1]), from);
        case 1 -> {
          if (book.openCircuit(KEYS.get(op[1]), from, KEYS.get(op[3])) instanceof RelayResult.Granted<Circuit> g) {
            open.put(g.value().id(), g.value());
            carried.put(g.value().id(), 0L);
          }
        }
        case 2 -> {
          if (!open.isEmpty()) {
            long id = open.keySet().iterator().next();
            if (book.carry(id, op[4]) == CarryResult.CARRIED) {
              carried.merge(id, (long) op[4], Long::sum);
              Circuit c = open.get(id);
              assertTrue(carried.get(id) <= limits.circuitMaxBytes());
              assertTrue(time.clock().monotonicMillis() < c.closesAtMillis(), "carried on an expired circuit");
            } else {
              open.remove(id);
            }
          }
        }
        case 3 -> time.advance(op[4] * 10L);
        default -> book.expire().forEach(c -> open.remove(c.id()));
      }
      assertTrue(book.reservations() <= limits.maxReservations());
      assertTrue(book.circuits() <= limits.maxCircuits());
      Map<PublicKey, Integer> perPeer = new HashMap<>();
      Map<PeerAddress.Subnet, Integer> perSubnet = new HashMap<>();
      // Sync the model with circuits the book closed on its own (lazy expiry): a zero-byte carry tells.
      open.keySet().removeIf(id -> book.carry(id, 0) != CarryResult.CARRIED);
      for (Circuit c : open.values()) {
        perPeer.merge(c.destination(), 1, Integer::sum);
        perSubnet.merge(c.sourceAddress().subnet(), 1, Integer::sum);
      }
      perPeer.values().forEach(n -> assertTrue(n <= limits.maxCircuitsPerPeer()));
      perSubnet.values().forEach(n -> assertTrue(n <= limits.maxCircuitsPerSubnet()));
    }
  }
}
