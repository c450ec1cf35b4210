package org.dialtone.agent.reach.punch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.dialtone.dht.time.VirtualScheduler;

/**
 * {@link PunchGuard#wouldAdmit}, what a host asks before it answers a punch request, agrees with {@link
 * PunchGuard#admit} in every state the guard can reach, and reserves nothing.
 */
class PunchGuardProperties {
  /** One step: ask (and then admit) towards host {@code host} for {@code probes}, end a running punch, or wait. */
  record Step(int kind, int host, int probes, long millis) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    return step().list().ofMaxSize(40);
  }

  private static Arbitrary<Step> step() {
    return Arbitraries.integers().between(0, 2).flatMap(kind -> Arbitraries.integers().between(0, 3)
        .flatMap(host -> Arbitraries.integers().between(1, 3_000)
            .flatMap(probes -> Arbitraries.longs().between(0, 40_000)
                .map(ms -> new Step(kind, host, probes, ms)))));
  }

  @Property(tries = 300)
  void wouldAdmitAgreesWithAdmitAndReservesNothing(@ForAll("steps") List<Step> steps) {
    VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
    PunchGuard guard = new PunchGuard(time.clock(), new PunchGuard.Limits(2, 5_000, 9_000, 60_000));
    List<PunchGuard.Lease> running = new ArrayList<>();
    for (Step s : steps) {
      byte[] host = {(byte) 198, 51, 100, (byte) s.host()};
      switch (s.kind()) {
        case 0 -> {
          long spent = guard.spentInWindow();
          int before = guard.running();
          boolean would = guard.wouldAdmit(host, s.probes());
          assertEquals(spent, guard.spentInWindow(), "asking reserves no probes");
          assertEquals(before, guard.running(), "asking starts no punch");
          PunchGuard.Admission a = guard.admit(host, s.probes());
          assertEquals(would, a instanceof PunchGuard.Admission.Admitted, "wouldAdmit said " + would);
          if (a instanceof PunchGuard.Admission.Admitted admitted) {
            running.add(admitted.lease());
          }
        }
        case 1 -> {
          if (!running.isEmpty()) {
            running.remove(0).end(s.probes() / 2);
          }
        }
        default -> time.advance(s.millis());
      }
    }
  }
}
