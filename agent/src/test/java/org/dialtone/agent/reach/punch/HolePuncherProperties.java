package org.dialtone.agent.reach.punch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.dialtone.agent.reach.nat.NatType;

class HolePuncherProperties {
  /**
   * Whatever the NAT pair, seed, delay and start skew: both punches end by the deadline, within their probe
   * budgets, every socket a punch opened is closed except the one it hands back, and both sides agree.
   */
  @Property(tries = 60)
  void everyPunchEndsWithinItsBudgetAndLeavesNoSocketBehind(
      @ForAll NatType natA, @ForAll NatType natB, @ForAll @LongRange(min = 1, max = 1000) long seed,
      @ForAll @LongRange(min = 1, max = 150) long oneWayMillis, @ForAll @LongRange(min = 0, max = 3000) long skew) {
    PunchBudget budget = PunchBudget.defaults();
    SimulatedNatPair net = new SimulatedNatPair(natA, natB, oneWayMillis, seed);
    net.punchers(budget, seed);
    net.a.puncher.start(0);
    net.time.schedule(skew, () -> net.b.puncher.start(0));
    long bound = skew + budget.deadlineMillis() + 1;
    assertTrue(net.time.runUntil(
        () -> net.a.puncher.outcome().isDone() && net.b.puncher.outcome().isDone(), bound), "not over by " + bound);
    for (SimulatedNatPair.Side side : new SimulatedNatPair.Side[] {net.a, net.b}) {
      PunchOutcome o = side.puncher.outcome().join();
      assertTrue(o.elapsedMillis() <= budget.deadlineMillis(), o.toString());
      assertTrue(o.probesSent() <= Math.max(budget.directRounds() * 8,
          Math.max(budget.randomProbes(), budget.birthdaySockets() + budget.birthdayProbes())) + 1, o.toString());
      int expectedOpen = o instanceof PunchOutcome.Punched p && p.socket() != HolePuncher.MAIN_SOCKET ? 2 : 1;
      assertEquals(expectedOpen, side.open.size(), o.toString());
    }
    PunchOutcome a = net.a.puncher.outcome().join();
    PunchOutcome b = net.b.puncher.outcome().join();
    assertEquals(a instanceof PunchOutcome.Punched, b instanceof PunchOutcome.Punched, a + " / " + b);
    if (natA == NatType.CONSISTENT && natB == NatType.CONSISTENT) {
      assertTrue(a instanceof PunchOutcome.Punched, "cone to cone must punch: " + a);
    }
  }

  /** Determinism: the same pair, seed and timing give the same outcomes, probe for probe. */
  @Property(tries = 30)
  void theSameSeedGivesTheSameOutcome(@ForAll NatType natA, @ForAll NatType natB,
      @ForAll @LongRange(min = 1, max = 1000) long seed, @ForAll @LongRange(min = 0, max = 2000) long skew) {
    assertEquals(outcomes(natA, natB, seed, skew), outcomes(natA, natB, seed, skew));
  }

  private static java.util.List<PunchOutcome> outcomes(NatType natA, NatType natB, long seed, long skew) {
    SimulatedNatPair net = new SimulatedNatPair(natA, natB, 25, seed);
    net.punchers(PunchBudget.defaults(), seed);
    net.a.puncher.start(0);
    net.time.schedule(skew, () -> net.b.puncher.start(0));
    net.time.runUntil(() -> net.a.puncher.outcome().isDone() && net.b.puncher.outcome().isDone(), 60_000);
    return java.util.List.of(net.a.puncher.outcome().join(), net.b.puncher.outcome().join());
  }
}
