package org.dialtone.agent.reach.signal;

import static org.dialtone.agent.reach.signal.SignalFixtures.DIALLER;
import static org.dialtone.agent.reach.signal.SignalFixtures.HOST;
import static org.dialtone.agent.reach.signal.SignalFixtures.NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

class SignalExchangeTest {
  private final VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
  private final SignalVerifier atHost = new SignalVerifier(time.clock(), HOST.publicKey(), 64);
  private final SignalVerifier atDialler = new SignalVerifier(time.clock(), DIALLER.publicKey(), 64);
  private final List<Candidate> diallerCandidates =
      List.of(new Candidate(Candidate.Type.REFLEXIVE, PeerAddress.parse("198.51.100.1:40000")));
  private final List<Candidate> hostCandidates =
      List.of(new Candidate(Candidate.Type.REFLEXIVE, PeerAddress.parse("203.0.113.2:0")));

  private DialerExchange dialler() {
    return dialler(1);
  }

  private DialerExchange dialler(long seed) {
    return new DialerExchange(time.clock(), DIALLER, HOST.publicKey(), SignalTransport.QUIC, new Random(seed), 30_000);
  }

  /** Through bytes and both verifiers, as a node would carry them. */
  private static SignedSignal carry(SignedSignal s, SignalVerifier to) throws SignalException {
    return to.accept(SignalCodec.encode(s));
  }

  @Test
  void requestAnswerSyncMeasuresTheRoundTrip() throws SignalException {
    DialerExchange d = dialler();
    SignedSignal request = d.request(NatType.CONSISTENT, diallerCandidates, new byte[0]);
    time.advance(40);
    HostExchange h = HostExchange.onRequest(time.clock(), HOST, new Random(2), 30_000, carry(request, atHost));
    assertEquals(DIALLER.publicKey(), h.dialler());
    assertEquals(diallerCandidates, h.diallerCandidates());
    SignedSignal answer = h.answer(NatType.RANDOM, hostCandidates, new byte[0]);
    time.advance(40);
    DialerExchange.Answer a = d.onAnswer(carry(answer, atDialler));
    assertEquals(Refusal.NONE, a.refusal());
    assertEquals(NatType.RANDOM, a.nat());
    assertEquals(hostCandidates, a.candidates());
    assertEquals(80, a.rttMillis());
    assertEquals(40, d.punchStartDelayMillis());
    SignedSignal sync = d.sync();
    h.onSync(carry(sync, atHost));
    assertEquals(d.session(), sync.body().session());
  }

  @Test
  void aSignalOfAnotherExchangeIsUnexpectedAndChangesNothing() throws SignalException {
    DialerExchange d = dialler();
    SignedSignal request = d.request(NatType.CONSISTENT, diallerCandidates, new byte[0]);
    HostExchange h = HostExchange.onRequest(time.clock(), HOST, new Random(2), 30_000, request);
    // An answer for another session.
    DialerExchange other = dialler(99);
    HostExchange otherHost = HostExchange.onRequest(time.clock(), HOST, new Random(3), 30_000,
        other.request(NatType.CONSISTENT, diallerCandidates, new byte[0]));
    SignedSignal wrongSession = otherHost.answer(NatType.CONSISTENT, hostCandidates, new byte[0]);
    assertEquals(SignalError.UNEXPECTED, assertThrows(SignalException.class, () -> d.onAnswer(wrongSession)).error());
    // An answer in the right session from someone other than the host dialled.
    SignalBody genuine = h.answer(NatType.CONSISTENT, hostCandidates, new byte[0]).body();
    SignalBody byNode = new SignalBody(genuine.kind(), genuine.transport(), genuine.nat(), genuine.refusal(),
        NODE.publicKey(), genuine.recipient(), genuine.session(), genuine.nonce(), genuine.issuedAtMillis(),
        genuine.expiresAtMillis(), genuine.candidates(), genuine.payload());
    assertEquals(SignalError.UNEXPECTED,
        assertThrows(SignalException.class, () -> d.onAnswer(SignedSignal.sign(byNode, NODE))).error());
    // The request itself, bounced back.
    assertEquals(SignalError.UNEXPECTED, assertThrows(SignalException.class, () -> d.onAnswer(request)).error());
    assertThrows(IllegalStateException.class, d::sync, "still waiting for the answer");
    assertEquals(SignalError.UNEXPECTED, assertThrows(SignalException.class,
        () -> HostExchange.onRequest(time.clock(), NODE, new Random(4), 30_000, request)).error());
  }

  @Test
  void aRefusedRequestEndsTheExchange() throws SignalException {
    DialerExchange d = dialler();
    HostExchange h = HostExchange.onRequest(time.clock(), HOST, new Random(2), 30_000,
        d.request(NatType.RANDOM, diallerCandidates, new byte[0]));
    SignedSignal refusal = h.refuse(NatType.RANDOM, Refusal.DOUBLE_RANDOMIZED_NATS);
    assertEquals(Refusal.DOUBLE_RANDOMIZED_NATS, d.onAnswer(refusal).refusal());
    assertThrows(IllegalStateException.class, d::sync);
    assertThrows(IllegalStateException.class, () -> h.answer(NatType.RANDOM, hostCandidates, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> h.refuse(NatType.RANDOM, Refusal.NONE));
  }

  @Test
  void theHostTakesOnlyItsDiallersSyncAfterAnswering() throws SignalException {
    DialerExchange d = dialler();
    HostExchange h = HostExchange.onRequest(time.clock(), HOST, new Random(2), 30_000,
        d.request(NatType.CONSISTENT, diallerCandidates, new byte[0]));
    d.onAnswer(h.answer(NatType.CONSISTENT, hostCandidates, new byte[0]));
    DialerExchange other = dialler(99);
    HostExchange otherHost = HostExchange.onRequest(time.clock(), HOST, new Random(3), 30_000,
        other.request(NatType.CONSISTENT, diallerCandidates, new byte[0]));
    other.onAnswer(otherHost.answer(NatType.CONSISTENT, hostCandidates, new byte[0]));
    SignedSignal otherSync = other.sync();
    assertEquals(SignalError.UNEXPECTED, assertThrows(SignalException.class, () -> h.onSync(otherSync)).error());
    SignedSignal sync = d.sync();
    h.onSync(sync);
    assertThrows(IllegalStateException.class, () -> h.onSync(sync), "one sync per exchange");
  }
}
