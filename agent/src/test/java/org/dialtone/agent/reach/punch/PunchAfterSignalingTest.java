package org.dialtone.agent.reach.punch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.signal.Candidate;
import org.dialtone.agent.reach.signal.DialerExchange;
import org.dialtone.agent.reach.signal.HostExchange;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalException;
import org.dialtone.agent.reach.signal.SignalTransport;
import org.dialtone.agent.reach.signal.SignalVerifier;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.net.PeerAddress;
import org.junit.jupiter.api.Test;

/**
 * Signaling and punching together on virtual time, as DCUtR: REQUEST and ANSWER through a node (40 ms each way),
 * then SYNC; the dialler starts half the measured round trip after sending SYNC, the host when SYNC arrives, and
 * their first probes cross behind two cone NATs.
 */
class PunchAfterSignalingTest {
  private static final Identity DIALLER = Identity.generate(new Random(21));
  private static final Identity HOST = Identity.generate(new Random(22));
  private static final long SIGNAL_ONE_WAY = 40;

  @Test
  void bothSidesStartTogetherAndPunchInOneCrossing() throws Exception {
    SimulatedNatPair net = new SimulatedNatPair(NatType.CONSISTENT, NatType.CONSISTENT, 20, 9);
    SignalVerifier atHost = new SignalVerifier(net.time.clock(), HOST.publicKey(), 64);
    SignalVerifier atDialler = new SignalVerifier(net.time.clock(), DIALLER.publicKey(), 64);
    PeerAddress diallerMapping = net.a.asRemote().addresses().get(0);
    PeerAddress hostMapping = net.b.asRemote().addresses().get(0);
    DialerExchange dialler = new DialerExchange(net.time.clock(), DIALLER, HOST.publicKey(), SignalTransport.QUIC,
        new Random(1), 30_000);
    long[] startedAt = {-1, -1};
    HostExchange[] host = new HostExchange[1];

    SignedSignal request = dialler.request(NatType.CONSISTENT,
        List.of(new Candidate(Candidate.Type.REFLEXIVE, diallerMapping)), new byte[0]);
    deliver(net, request, atHost, accepted -> {
      host[0] = HostExchange.onRequest(net.time.clock(), HOST, new Random(2), 30_000, accepted);
      SignedSignal answer = host[0].answer(NatType.CONSISTENT,
          List.of(new Candidate(Candidate.Type.REFLEXIVE, hostMapping)), new byte[0]);
      deliver(net, answer, atDialler, acceptedAnswer -> {
        DialerExchange.Answer a = dialler.onAnswer(acceptedAnswer);
        net.a.puncher = new HolePuncher(net.time, net.a, PunchBudget.defaults(), new Random(3), NatType.CONSISTENT,
            new RemotePeer(a.nat(), List.of(a.candidates().get(0).address()), true));
        SignedSignal sync = dialler.sync();
        net.a.puncher.start(dialler.punchStartDelayMillis());
        startedAt[0] = net.time.clock().monotonicMillis() + dialler.punchStartDelayMillis();
        deliver(net, sync, atHost, acceptedSync -> {
          host[0].onSync(acceptedSync);
          net.b.puncher = new HolePuncher(net.time, net.b, PunchBudget.defaults(), new Random(4),
              NatType.CONSISTENT, new RemotePeer(host[0].diallerNat(),
                  List.of(host[0].diallerCandidates().get(0).address()), true));
          net.b.puncher.start(0);
          startedAt[1] = net.time.clock().monotonicMillis();
        });
      });
    });
    assertTrue(net.time.runUntil(() -> net.b.puncher != null && net.a.puncher.outcome().isDone()
        && net.b.puncher.outcome().isDone(), 60_000));
    assertEquals(startedAt[0], startedAt[1], "RTT/2 after SYNC is when SYNC arrives");
    assertEquals(3 * SIGNAL_ONE_WAY, startedAt[0]);
    PunchOutcome.Punched a = assertInstanceOf(PunchOutcome.Punched.class, net.a.puncher.outcome().join());
    PunchOutcome.Punched b = assertInstanceOf(PunchOutcome.Punched.class, net.b.puncher.outcome().join());
    assertEquals(20, a.elapsedMillis());
    assertEquals(20, b.elapsedMillis());
    assertEquals(hostMapping, a.remote());
    assertEquals(diallerMapping, b.remote());
  }

  interface OnSignal {
    void accept(SignedSignal s) throws SignalException;
  }

  /** Encodes, carries for one signaling hop's delay, and hands over what the receiver's verifier accepted. */
  private static void deliver(SimulatedNatPair net, SignedSignal s, SignalVerifier to, OnSignal then) {
    byte[] bytes = SignalCodec.encode(s);
    net.time.schedule(SIGNAL_ONE_WAY, () -> {
      try {
        then.accept(to.accept(bytes));
      } catch (SignalException e) {
        throw new AssertionError(e);
      }
    });
  }
}
