package org.dialtone.agent.reach.punch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.dialtone.agent.reach.nat.NatType;
import org.junit.jupiter.api.Test;

/**
 * The figure in docs/connections.md: cone<->symmetric punches over 200 seeds each way, in the simulated NAT pair
 * (20 ms one way, both sides starting together, hyperdht's budgets), on virtual time. Prints success, median, p95
 * and maximum time to punch, and the probes both sides sent. Deterministic: the seeds are fixed.
 */
class PunchSimulationTest {
  private static final int SEEDS = 200;

  @Test
  void coneToSymmetricPunchesAlmostAlwaysWithinTheBudget() {
    for (NatType[] pair : new NatType[][] {{NatType.CONSISTENT, NatType.RANDOM}, {NatType.RANDOM, NatType.CONSISTENT}}) {
      List<Long> times = new ArrayList<>();
      List<Integer> probes = new ArrayList<>();
      for (long seed = 1; seed <= SEEDS; seed++) {
        SimulatedNatPair net = new SimulatedNatPair(pair[0], pair[1], 20, seed);
        net.punchers(PunchBudget.defaults(), seed);
        net.a.puncher.start(0);
        net.b.puncher.start(0);
        assertTrue(net.time.runUntil(
            () -> net.a.puncher.outcome().isDone() && net.b.puncher.outcome().isDone(), 60_000));
        if (net.a.puncher.outcome().join() instanceof PunchOutcome.Punched p) {
          times.add(p.elapsedMillis());
          probes.add(p.probesSent() + net.b.puncher.outcome().join().probesSent());
        }
      }
      Collections.sort(times);
      Collections.sort(probes);
      System.out.printf("punch simulation %s dialling %s: punched %d/%d, median %d ms, p95 %d ms, max %d ms,"
          + " probes (both sides) median %d%n", pair[0], pair[1], times.size(), SEEDS, times.get(times.size() / 2),
          times.get(times.size() * 95 / 100), times.get(times.size() - 1), probes.get(probes.size() / 2));
      assertTrue(times.size() >= SEEDS * 97 / 100, "punched " + times.size() + " of " + SEEDS);
    }
  }
}
