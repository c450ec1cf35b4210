package org.dialtone.agent.reach.punch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.dialtone.dht.time.VirtualScheduler;

/**
 * Whatever punches are admitted or reserved, begun, ended (having sent up to their reservation) and however time
 * passes, the guard holds its bounds: never more wide punches at once than allowed, never two towards one host, and never more probes
 * reserved or sent within a window than the budgets, in all or towards one host. A lease ended twice counts once.
 */
class PunchGuardProperties {
  /** One step: ask (and then admit) towards host {@code host} for {@code probes}, end a running punch, or wait. */
  record Step(int kind, int host, int probes, long millis) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    return step().list().ofMaxSize(40);
  }

  private static Arbitrary<Step> step() {
    return Arbitraries.integers().between(0, 4).flatMap(kind -> Arbitraries.integers().between(0, 3)
        .flatMap(host -> Arbitraries.integers().between(1, 3_000)
            .flatMap(probes -> Arbitraries.longs().between(0, 40_000)
                .map(ms -> new Step(kind, host, probes, ms)))));
  }

  @Property(tries = 300)
  void admissionsStayWithinEveryBound(@ForAll("steps") List<Step> steps) {
    VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
    PunchGuard.Limits limits = new PunchGuard.Limits(2, 5_000, 9_000, 60_000);
    PunchGuard guard = new PunchGuard(time.clock(), limits);
    List<PunchGuard.Lease> running = new ArrayList<>();
    List<Integer> runningHosts = new ArrayList<>();
    for (Step s : steps) {
      byte[] host = host(s.host());
      switch (s.kind()) {
        case 0, 3 -> {
          // 0: admitted to run at once; 3: reserved for a punch that begins later, or lapses after its hold
          PunchGuard.Admission a = s.kind() == 0 ? guard.admit(host, s.probes())
              : guard.reserve(host, s.probes(), 1 + s.millis() / 4);
          if (a instanceof PunchGuard.Admission.Admitted admitted) {
            assertFalse(runningHosts.contains(s.host()), "two punches towards host " + s.host());
            running.add(admitted.lease());
            runningHosts.add(s.host());
          } else {
            PunchGuard.Admission.Refused r = (PunchGuard.Admission.Refused) a;
            assertEquals(runningHosts.contains(s.host()) ? AbortCode.REMOTE_HOST_BUSY : AbortCode.PROBE_BUDGET,
                r.code());
          }
        }
        case 1 -> {
          if (!running.isEmpty()) {
            PunchGuard.Lease lease = running.remove(0);
            runningHosts.remove(0);
            lease.end(s.probes() / 2);
            lease.end(s.probes()); // a second end changes nothing
          }
        }
        case 4 -> {
          if (!running.isEmpty() && !running.get(0).begin()) {
            running.remove(0); // it lapsed: the guard ended it
            runningHosts.remove(0);
          }
        }
        default -> time.advance(s.millis());
      }
      for (int i = running.size() - 1; i >= 0; i--) {
        if (!running.get(i).held()) { // a reservation that lapsed
          running.remove(i);
          runningHosts.remove(i);
        }
      }
      assertEquals(running.size(), guard.running());
      assertTrue(guard.running() <= limits.atOnce(), guard.running() + " at once");
      assertTrue(guard.spentInWindow() <= limits.probesPerAgent(), guard.spentInWindow() + " probes in all");
      for (int h = 0; h < 4; h++) {
        assertTrue(guard.spentInWindow(host(h)) <= limits.probesPerHost(), "host " + h);
      }
    }
  }

  private static byte[] host(int i) {
    return new byte[] {(byte) 198, 51, 100, (byte) i};
  }
}
