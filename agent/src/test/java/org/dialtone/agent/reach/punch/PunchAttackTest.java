package org.dialtone.agent.reach.punch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

/**
 * Random-port and birthday punches as weapons, mounted on virtual time: a peer whose signals name a victim's address,
 * and a peer that reconnects again and again. The relay named the peer's host ({@code observed}); every probe is
 * recorded with its destination and time.
 */
class PunchAttackTest {
  private static final PunchBudget BUDGET = PunchBudget.defaults();
  /** Where the relay saw the attacker: its own NAT's public address. */
  private static final PeerAddress OBSERVED = PeerAddress.parse("198.51.100.7:0");
  private static final PeerAddress VICTIM = PeerAddress.parse("192.0.2.99:443");

  private record Probe(long atMillis, PeerAddress to) {}

  /** Records every probe; opens as many birthday sockets as asked. */
  private static final class RecordingIo implements ProbeIo {
    final VirtualScheduler time;
    final List<Probe> probes = new ArrayList<>();
    int next = 1;

    RecordingIo(VirtualScheduler time) {
      this.time = time;
    }

    @Override
    public OptionalInt openSocket() {
      return OptionalInt.of(next++);
    }

    @Override
    public void sendProbe(int socket, PeerAddress to, boolean lowTtl) {
      probes.add(new Probe(time.clock().monotonicMillis(), to));
    }

    @Override
    public void closeSocket(int socket) {
      // nothing held
    }

    long towards(PeerAddress host) {
      return probes.stream().filter(p -> Arrays.equals(p.to().ipBytes(), host.ipBytes())).count();
    }
  }

  private static PunchOutcome run(VirtualScheduler time, HolePuncher p) {
    p.start(0);
    assertTrue(time.runUntil(() -> p.outcome().isDone(), 120_000), "the punch never ended");
    return p.outcome().join();
  }

  /** The attacker is behind a symmetric NAT and signs the victim's address as its candidate. */
  @Test
  void randomPortsGoToTheRelayObservedHostNeverToTheSignalledVictim() {
    VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
    RecordingIo io = new RecordingIo(time);
    RemotePeer remote = RemotePeer.fromSignal(NatType.CONSISTENT, NatType.RANDOM, List.of(VICTIM),
        Optional.of(OBSERVED));
    PunchOutcome out = run(time, new HolePuncher(time, io, BUDGET, new Random(1), NatType.CONSISTENT, remote));
    assertEquals(AbortCode.PROBES_EXHAUSTED, assertInstanceOf(PunchOutcome.Failed.class, out).code());
    assertEquals(0, io.towards(VICTIM), "not one probe at the victim");
    assertEquals(BUDGET.randomProbes(), io.towards(OBSERVED), "the budget, all at the observed host");
    assertEquals(BUDGET.randomProbes(), io.probes.size());
  }

  /** The attacker is behind a cone NAT (we are symmetric): its candidates name the victim, and its own host. */
  @Test
  void birthdayProbesGoOnlyToASignalledMappingOnTheObservedHost() {
    VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
    RecordingIo io = new RecordingIo(time);
    PeerAddress own = PeerAddress.parse("198.51.100.7:40000");
    RemotePeer remote = RemotePeer.fromSignal(NatType.RANDOM, NatType.CONSISTENT, List.of(VICTIM, own),
        Optional.of(OBSERVED));
    assertEquals(List.of(own), remote.addresses(), "the victim's candidate is dropped");
    run(time, new HolePuncher(time, io, BUDGET, new Random(2), NatType.RANDOM, remote));
    assertEquals(0, io.towards(VICTIM));
    assertTrue(io.probes.stream().allMatch(p -> p.to().equals(own)));
    assertEquals(BUDGET.birthdaySockets() + BUDGET.birthdayProbes(), io.probes.size());
    // only the victim signalled: nothing to probe at all
    RecordingIo none = new RecordingIo(time);
    RemotePeer victimOnly = RemotePeer.fromSignal(NatType.RANDOM, NatType.CONSISTENT, List.of(VICTIM),
        Optional.of(OBSERVED));
    PunchOutcome out = run(time, new HolePuncher(time, none, BUDGET, new Random(3), NatType.RANDOM, victimOnly));
    assertEquals(AbortCode.NO_REMOTE_ADDRESS, assertInstanceOf(PunchOutcome.Failed.class, out).code());
    assertEquals(0, none.probes.size());
    // no relay-observed host: not a probe
    RemotePeer unverified = RemotePeer.fromSignal(NatType.CONSISTENT, NatType.RANDOM, List.of(VICTIM),
        Optional.empty());
    out = run(time, new HolePuncher(time, none, BUDGET, new Random(4), NatType.CONSISTENT, unverified));
    assertEquals(AbortCode.REMOTE_ADDRESS_UNVERIFIED, assertInstanceOf(PunchOutcome.Failed.class, out).code());
    assertEquals(0, none.probes.size());
  }

  /**
   * A peer reconnects as fast as it can for ten minutes, each time asking for a random-port punch that never hits
   * (two sessions at once, say from two keys). Whatever it does, the probes at its host from the punches started in
   * any minute stay within the guard's budget, and the agent's in all.
   */
  @Test
  void reconnectingAgainAndAgainCannotExceedTheBudget() {
    VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
    PunchGuard guard = new PunchGuard(time.clock(), PunchGuard.Limits.defaults());
    RecordingIo io = new RecordingIo(time);
    RemotePeer remote = RemotePeer.fromSignal(NatType.CONSISTENT, NatType.RANDOM, List.of(VICTIM),
        Optional.of(OBSERVED));
    List<HolePuncher> running = new ArrayList<>();
    int refused = 0;
    int started = 0;
    long end = time.clock().monotonicMillis() + 600_000;
    Random random = new Random(5);
    while (time.clock().monotonicMillis() < end) {
      for (int i = 0; i < 2; i++) { // two sessions asking at once
        HolePuncher p = new HolePuncher(time, io, BUDGET, random, NatType.CONSISTENT, remote, guard);
        p.start(0);
        started++;
        if (p.outcome().isDone() && p.outcome().join() instanceof PunchOutcome.Failed f
            && f.code() != AbortCode.PROBES_EXHAUSTED) {
          refused++;
        } else {
          running.add(p);
        }
      }
      time.advance(1_000); // and again a second later
    }
    assertTrue(refused > started / 2, "most attempts are refused: " + refused + " of " + started);
    assertEquals(0, io.towards(VICTIM));
    long windowMillis = guard.limits().windowMillis();
    long first = io.probes.get(0).atMillis();
    for (long start = first; start < end; start += 1_000) {
      long from = start;
      // a punch's probes follow its start by at most its deadline: count one window plus a deadline
      long sent = io.probes.stream().filter(p -> p.atMillis() >= from
          && p.atMillis() < from + windowMillis + BUDGET.deadlineMillis()).count();
      assertTrue(sent <= 2 * guard.limits().probesPerHost(), "probes in a window at the attacker's host: " + sent);
    }
    long perMinute = io.probes.size() * 60_000L / (end - first);
    assertTrue(perMinute <= guard.limits().probesPerHost(), "probes per minute on average: " + perMinute);
  }
}
