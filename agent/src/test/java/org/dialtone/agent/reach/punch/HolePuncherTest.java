package org.dialtone.agent.reach.punch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

class HolePuncherTest {
  private static final PunchBudget BUDGET = PunchBudget.defaults();

  private static PunchOutcome run(SimulatedNatPair net, HolePuncher puncher) {
    assertTrue(net.time.runUntil(() -> puncher.outcome().isDone(), 120_000), "the punch never ended");
    return puncher.outcome().join();
  }

  @Test
  void strategiesPerNatPair() {
    assertEquals(PunchStrategy.DIRECT, PunchStrategy.choose(NatType.CONSISTENT, NatType.CONSISTENT));
    assertEquals(PunchStrategy.RANDOM_PORTS, PunchStrategy.choose(NatType.CONSISTENT, NatType.RANDOM));
    assertEquals(PunchStrategy.BIRTHDAY, PunchStrategy.choose(NatType.RANDOM, NatType.CONSISTENT));
    assertEquals(PunchStrategy.RELAY, PunchStrategy.choose(NatType.RANDOM, NatType.RANDOM));
    assertEquals(PunchStrategy.RELAY, PunchStrategy.choose(NatType.UNKNOWN, NatType.CONSISTENT));
    assertEquals(PunchStrategy.RELAY, PunchStrategy.choose(NatType.CONSISTENT, NatType.UNKNOWN));
    assertEquals(50, HolePuncher.dialerStartDelayMillis(101));
  }

  @Test
  void coneToConeSynchronisedPunchesInOneCrossing() {
    SimulatedNatPair net = new SimulatedNatPair(NatType.CONSISTENT, NatType.CONSISTENT, 20, 1);
    net.punchers(BUDGET, 1);
    // Signaling round trip 40 ms: the dialler sends SYNC and waits 20 ms; SYNC reaches the host 20 ms later.
    net.a.puncher.start(HolePuncher.dialerStartDelayMillis(40));
    net.time.schedule(20, () -> net.b.puncher.start(0));
    PunchOutcome a = run(net, net.a.puncher);
    PunchOutcome b = run(net, net.b.puncher);
    PunchOutcome.Punched pa = assertInstanceOf(PunchOutcome.Punched.class, a);
    PunchOutcome.Punched pb = assertInstanceOf(PunchOutcome.Punched.class, b);
    assertEquals(20, pa.elapsedMillis(), "the first probes cross: one one-way delay");
    assertEquals(20, pb.elapsedMillis());
    assertEquals(net.b.asRemote().addresses().get(0), pa.remote());
    assertEquals(HolePuncher.MAIN_SOCKET, pa.socket());
  }

  @Test
  void coneToConeUnsynchronisedStillPunchesOnALaterRound() {
    SimulatedNatPair net = new SimulatedNatPair(NatType.CONSISTENT, NatType.CONSISTENT, 20, 2);
    net.punchers(BUDGET, 2);
    net.a.puncher.start(0);
    net.time.schedule(2_500, () -> net.b.puncher.start(0));
    PunchOutcome.Punched pa = assertInstanceOf(PunchOutcome.Punched.class, run(net, net.a.puncher));
    assertEquals(2_520, pa.elapsedMillis(), "A's earlier probes met B's closed NAT; B's first probe got through");
  }

  @Test
  void coneToSymmetricPunchesWithinTheBudgetForMostSeeds() {
    int punched = 0;
    long worst = 0;
    for (long seed = 1; seed <= 40; seed++) {
      SimulatedNatPair net = new SimulatedNatPair(NatType.CONSISTENT, NatType.RANDOM, 20, seed);
      net.punchers(BUDGET, seed);
      assertEquals(PunchStrategy.RANDOM_PORTS, net.a.puncher.strategy());
      assertEquals(PunchStrategy.BIRTHDAY, net.b.puncher.strategy());
      net.a.puncher.start(0);
      net.b.puncher.start(0);
      PunchOutcome a = run(net, net.a.puncher);
      PunchOutcome b = run(net, net.b.puncher);
      assertTrue(a.probesSent() <= BUDGET.randomProbes() + 1, "random probes over budget: " + a);
      assertTrue(b.probesSent() <= BUDGET.birthdaySockets() + BUDGET.birthdayProbes() + 1, "over budget: " + b);
      if (a instanceof PunchOutcome.Punched pa) {
        PunchOutcome.Punched pb = assertInstanceOf(PunchOutcome.Punched.class, b);
        assertEquals(1, net.b.open.size() - 1, "the birthday side keeps only the punched socket");
        assertTrue(net.b.open.contains(pb.socket()));
        punched++;
        worst = Math.max(worst, pa.elapsedMillis());
      } else {
        assertEquals(1, net.b.open.size(), "a failed punch closes every socket it opened");
      }
    }
    // With 256 mappings among 64,512 ports, 1,750 random probes miss all of them with probability about e^-6.9.
    assertTrue(punched >= 38, "punched " + punched + " of 40");
    assertTrue(worst <= BUDGET.deadlineMillis(), "slowest punch " + worst + " ms");
  }

  @Test
  void symmetricToSymmetricGoesStraightToARelay() {
    SimulatedNatPair net = new SimulatedNatPair(NatType.RANDOM, NatType.RANDOM, 20, 3);
    net.punchers(BUDGET, 3);
    net.a.puncher.start(0);
    PunchOutcome.Failed f = assertInstanceOf(PunchOutcome.Failed.class, net.a.puncher.outcome().join());
    assertEquals(AbortCode.DOUBLE_RANDOMIZED_NATS, f.code());
    assertEquals(0, f.probesSent());
  }

  @Test
  void anUnknownNatGoesToARelay() {
    VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
    RecordingIo io = new RecordingIo();
    HolePuncher p = new HolePuncher(time, io, BUDGET, new Random(1), NatType.UNKNOWN,
        new RemotePeer(NatType.CONSISTENT, List.of(PeerAddress.parse("203.0.113.2:4000")), true));
    p.start(0);
    assertEquals(AbortCode.NAT_UNKNOWN, ((PunchOutcome.Failed) p.outcome().join()).code());
  }

  /** The attack: a remote claims a victim's host as its own, hoping we spray 1,750 probes at it. */
  @Test
  void noRandomProbingTowardsAnUnverifiedHost() {
    VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
    RecordingIo io = new RecordingIo();
    HolePuncher p = new HolePuncher(time, io, BUDGET, new Random(1), NatType.CONSISTENT,
        new RemotePeer(NatType.RANDOM, List.of(PeerAddress.parse("192.0.2.99:0")), false));
    p.start(0);
    time.advance(60_000);
    assertEquals(AbortCode.REMOTE_ADDRESS_UNVERIFIED, ((PunchOutcome.Failed) p.outcome().join()).code());
    assertEquals(0, io.probes, "not a single probe towards the claimed host");
  }

  /**
   * A host reserves its guard's place when it answers; the punch that follows runs on that lease though the guard is
   * full meanwhile, another punch cannot take the place, and the lease ends with the probes actually sent.
   */
  @Test
  void aPlaceReservedAtTheAnswerIsKeptForItsPunch() {
    VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
    PunchGuard guard = new PunchGuard(time.clock(), new PunchGuard.Limits(1, 100_000, 100_000, 60_000));
    RemotePeer answered = new RemotePeer(NatType.RANDOM, List.of(PeerAddress.parse("198.51.100.7:0")), true);
    RemotePeer other = new RemotePeer(NatType.RANDOM, List.of(PeerAddress.parse("198.51.100.8:0")), true);
    PunchGuard.Lease reserved = ((PunchGuard.Admission.Admitted) guard.reserve(new byte[] {(byte) 198, 51, 100, 7},
        BUDGET.maxProbes(PunchStrategy.RANDOM_PORTS), 10_000)).lease();

    HolePuncher intruder = new HolePuncher(time, new RecordingIo(), BUDGET, new Random(1), NatType.CONSISTENT, other,
        guard);
    intruder.start(0);
    assertEquals(AbortCode.PROBE_BUDGET, ((PunchOutcome.Failed) intruder.outcome().join()).code());

    time.advance(5_000); // the dialler's SYNC comes within the hold
    RecordingIo io = new RecordingIo();
    HolePuncher punch = new HolePuncher(time, io, BUDGET, new Random(2), NatType.CONSISTENT, answered, guard,
        reserved);
    punch.start(0);
    assertTrue(time.runUntil(() -> punch.outcome().isDone(), 120_000), "the punch never ended");
    PunchOutcome.Failed f = assertInstanceOf(PunchOutcome.Failed.class, punch.outcome().join());
    assertEquals(AbortCode.PROBES_EXHAUSTED, f.code(), "it ran: nobody answered");
    assertTrue(io.probes > 0);
    assertEquals(0, guard.running(), "the lease ended with the punch");
    assertEquals(io.probes, guard.spentInWindow(new byte[] {(byte) 198, 51, 100, 7}), "charged what it sent");
  }

  @Test
  void aStrangersProbeIsIgnoredAndCounted() {
    SimulatedNatPair net = new SimulatedNatPair(NatType.CONSISTENT, NatType.CONSISTENT, 20, 4);
    net.punchers(BUDGET, 4);
    net.a.puncher.start(0);
    net.time.advance(5);
    net.a.puncher.onProbe(HolePuncher.MAIN_SOCKET, PeerAddress.parse("192.0.2.66:5555"));
    assertEquals(1, net.a.puncher.strayProbes());
    assertTrue(!net.a.puncher.outcome().isDone());
    net.b.puncher.start(0);
    assertInstanceOf(PunchOutcome.Punched.class, run(net, net.a.puncher));
  }

  @Test
  void anUnansweredPunchEndsWithinItsBudgetAndClosesItsSockets() {
    SimulatedNatPair net = new SimulatedNatPair(NatType.RANDOM, NatType.CONSISTENT, 20, 5);
    net.punchers(BUDGET, 5);
    net.a.puncher.start(0); // B never starts: nobody probes back through B's NAT
    PunchOutcome.Failed f = assertInstanceOf(PunchOutcome.Failed.class, run(net, net.a.puncher));
    assertEquals(AbortCode.PROBES_EXHAUSTED, f.code());
    assertEquals(BUDGET.birthdaySockets() + BUDGET.birthdayProbes(), f.probesSent());
    assertEquals(1, net.a.open.size(), "only the main socket is left");
    SimulatedNatPair direct = new SimulatedNatPair(NatType.CONSISTENT, NatType.CONSISTENT, 20, 5);
    direct.punchers(BUDGET, 5);
    direct.a.puncher.start(0);
    PunchOutcome.Failed g = assertInstanceOf(PunchOutcome.Failed.class, run(direct, direct.a.puncher));
    assertEquals(AbortCode.PROBES_EXHAUSTED, g.code());
    assertEquals(BUDGET.directRounds(), g.probesSent());
    assertEquals(BUDGET.directRounds() * BUDGET.directIntervalMillis(), g.elapsedMillis());
  }

  @Test
  void theDeadlineCutsAPunchShort() {
    PunchBudget shortDeadline = new PunchBudget(10, 1000, 1750, 256, 16, 1750, 20, 3_000);
    SimulatedNatPair net = new SimulatedNatPair(NatType.CONSISTENT, NatType.RANDOM, 20, 6);
    net.punchers(shortDeadline, 6);
    net.a.puncher.start(0);
    PunchOutcome.Failed f = assertInstanceOf(PunchOutcome.Failed.class, run(net, net.a.puncher));
    assertEquals(AbortCode.DEADLINE, f.code());
    assertEquals(3_000, f.elapsedMillis());
  }

  @Test
  void cancellingClosesEverySocketAndEndsOnce() {
    SimulatedNatPair net = new SimulatedNatPair(NatType.RANDOM, NatType.CONSISTENT, 20, 7);
    net.punchers(BUDGET, 7);
    net.a.puncher.start(0);
    net.time.advance(100);
    assertTrue(net.a.puncher.openSockets() > 0);
    net.a.puncher.cancel();
    net.a.puncher.cancel();
    assertEquals(AbortCode.CANCELLED, ((PunchOutcome.Failed) net.a.puncher.outcome().join()).code());
    assertEquals(1, net.a.open.size());
    assertEquals(0, net.a.puncher.openSockets());
  }

  @Test
  void noSocketsForBirthdayProbing() {
    SimulatedNatPair net = new SimulatedNatPair(NatType.RANDOM, NatType.CONSISTENT, 20, 8);
    net.a.maxSockets = 1;
    net.punchers(BUDGET, 8);
    net.a.puncher.start(0);
    assertEquals(AbortCode.NO_SOCKETS, ((PunchOutcome.Failed) run(net, net.a.puncher)).code());
  }

  /** Counts probes; opens nothing. */
  static final class RecordingIo implements ProbeIo {
    int probes;

    @Override
    public OptionalInt openSocket() {
      return OptionalInt.empty();
    }

    @Override
    public void sendProbe(int socket, PeerAddress to, boolean lowTtl) {
      probes++;
    }

    @Override
    public void closeSocket(int socket) {}
  }
}
