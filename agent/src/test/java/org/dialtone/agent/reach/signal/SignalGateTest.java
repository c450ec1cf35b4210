package org.dialtone.agent.reach.signal;

import static org.dialtone.agent.reach.signal.SignalFixtures.DIALLER;
import static org.dialtone.agent.reach.signal.SignalFixtures.HOST;
import static org.dialtone.agent.reach.signal.SignalFixtures.NODE;
import static org.dialtone.agent.reach.signal.SignalFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dialtone.dht.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

/** The punch's signal door: forged, replayed and foreign signals are refused, and each refusal is counted. */
class SignalGateTest {
  private final VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
  private final SignalGate gate = new SignalGate(time.clock(), HOST.publicKey());

  private SignalBody body(long nonce) {
    long now = time.clock().epochMillis();
    return request(now, now + 30_000, new Nonce128(7, nonce));
  }

  private SignalError refused(byte[] bytes) {
    return assertThrows(SignalException.class, () -> gate.admit(bytes, DIALLER.publicKey())).error();
  }

  @Test
  void aForgedSignalIsRefusedAndCounted() {
    SignalBody genuine = body(1);
    // Someone in the middle (the relay cannot read the channel, but say a buggy peer) signs in the dialler's name.
    byte[] forged = SignalCodec.encode(new SignedSignal(genuine, NODE.sign(SignalCodec.signedBytes(genuine))));
    assertEquals(SignalError.BAD_SIGNATURE, refused(forged));
    byte[] flipped = SignalCodec.encode(SignedSignal.sign(genuine, DIALLER));
    flipped[flipped.length - 1] ^= 1;
    assertEquals(SignalError.BAD_SIGNATURE, refused(flipped));
    assertEquals(2L, gate.refused().get(SignalError.BAD_SIGNATURE));
  }

  @Test
  void aReplayedSignalIsRefusedAndCounted() throws SignalException {
    byte[] bytes = SignalCodec.encode(SignedSignal.sign(body(2), DIALLER));
    assertEquals(DIALLER.publicKey(), gate.admit(bytes, DIALLER.publicKey()).body().sender());
    assertEquals(SignalError.REPLAYED, refused(bytes));
    assertEquals(1L, gate.refused().get(SignalError.REPLAYED));
  }

  @Test
  void aSignalFromAnotherKeyThanThePeerIsRefused() {
    // Validly signed by its sender, but the channel's proven peer is someone else: not part of this punch.
    byte[] bytes = SignalCodec.encode(SignedSignal.sign(body(3), DIALLER));
    SignalError e = assertThrows(SignalException.class, () -> gate.admit(bytes, NODE.publicKey())).error();
    assertEquals(SignalError.UNEXPECTED, e);
    assertEquals(1L, gate.refused().get(SignalError.UNEXPECTED));
  }

  @Test
  void anExpiredSignalIsRefusedAndCounted() {
    byte[] bytes = SignalCodec.encode(SignedSignal.sign(body(4), DIALLER));
    time.advance(30_000);
    assertEquals(SignalError.EXPIRED, refused(bytes));
    assertEquals(1L, gate.refused().get(SignalError.EXPIRED));
  }
}
