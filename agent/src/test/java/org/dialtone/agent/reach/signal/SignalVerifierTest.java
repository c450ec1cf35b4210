package org.dialtone.agent.reach.signal;

import static org.dialtone.agent.reach.signal.SignalFixtures.DIALLER;
import static org.dialtone.agent.reach.signal.SignalFixtures.HOST;
import static org.dialtone.agent.reach.signal.SignalFixtures.NODE;
import static org.dialtone.agent.reach.signal.SignalFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

class SignalVerifierTest {
  private final VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
  private final SignalVerifier host = new SignalVerifier(time.clock(), HOST.publicKey(), 4);

  private long now() {
    return time.clock().epochMillis();
  }

  private byte[] signedRequest(Nonce128 nonce) {
    return SignalCodec.encode(SignedSignal.sign(request(now(), now() + 30_000, nonce), DIALLER));
  }

  private SignalError refusal(byte[] bytes) {
    int before = host.remembered();
    SignalError error = assertThrows(SignalException.class, () -> host.accept(bytes)).error();
    assertEquals(before, host.remembered(), "a refused signal changed the replay table");
    return error;
  }

  @Test
  void acceptsASignalForItOnce() throws SignalException {
    byte[] bytes = signedRequest(new Nonce128(1, 1));
    assertEquals(DIALLER.publicKey(), host.accept(bytes).body().sender());
    assertEquals(SignalError.REPLAYED, refusal(bytes));
  }

  @Test
  void aReplayAfterExpiryIsRefusedAsExpired() throws SignalException {
    byte[] bytes = signedRequest(new Nonce128(1, 2));
    host.accept(bytes);
    time.advance(30_000);
    assertEquals(SignalError.EXPIRED, refusal(bytes));
    assertEquals(0, host.remembered(), "expired entries are forgotten");
  }

  @Test
  void aForwardingNodeCanNeitherForgeNorRedirect() {
    SignalBody genuine = request(now(), now() + 30_000, new Nonce128(1, 3));
    // The node signs a request in the dialler's name with its own key.
    byte[] forged = SignalCodec.encode(new SignedSignal(genuine, NODE.sign(SignalCodec.signedBytes(genuine))));
    assertEquals(SignalError.BAD_SIGNATURE, refusal(forged));
    // The node swaps in its own candidates, keeping the dialler's signature.
    SignalBody altered = new SignalBody(genuine.kind(), genuine.transport(), genuine.nat(), genuine.refusal(),
        genuine.sender(), genuine.recipient(), genuine.session(), genuine.nonce(), genuine.issuedAtMillis(),
        genuine.expiresAtMillis(), List.of(), genuine.payload());
    byte[] signature = SignedSignal.sign(genuine, DIALLER).signature();
    assertEquals(SignalError.BAD_SIGNATURE, refusal(SignalCodec.encode(new SignedSignal(altered, signature))));
    // A genuine request for another agent, delivered here.
    SignalVerifier other = new SignalVerifier(time.clock(), NODE.publicKey(), 4);
    SignalError e = assertThrows(SignalException.class,
        () -> other.accept(SignalCodec.encode(SignedSignal.sign(genuine, DIALLER)))).error();
    assertEquals(SignalError.WRONG_RECIPIENT, e);
  }

  @Test
  void timesAreChecked() {
    assertEquals(SignalError.NOT_YET_VALID, refusal(SignalCodec.encode(SignedSignal.sign(
        request(now() + SignalVerifier.MAX_SKEW_MILLIS + 1, now() + SignalVerifier.MAX_SKEW_MILLIS + 2,
            new Nonce128(2, 1)), DIALLER))));
    assertEquals(SignalError.BAD_LIFETIME, refusal(SignalCodec.encode(SignedSignal.sign(
        request(now(), now() + SignalVerifier.MAX_LIFETIME_MILLIS + 1, new Nonce128(2, 2)), DIALLER))));
    assertEquals(SignalError.BAD_LIFETIME, refusal(SignalCodec.encode(SignedSignal.sign(
        request(now(), now(), new Nonce128(2, 3)), DIALLER))));
    assertEquals(SignalError.EXPIRED, refusal(SignalCodec.encode(SignedSignal.sign(
        request(now() - 20_000, now() - 1, new Nonce128(2, 4)), DIALLER))));
  }

  @Test
  void aFullReplayTableRefusesRatherThanForgets() throws SignalException {
    for (int i = 0; i < 4; i++) {
      host.accept(signedRequest(new Nonce128(3, i)));
    }
    assertEquals(SignalError.BUSY, refusal(signedRequest(new Nonce128(3, 99))));
    time.advance(30_000);
    host.accept(signedRequest(new Nonce128(3, 100)));
    assertEquals(1, host.remembered());
  }

  @Test
  void oversizedAndMalformedInputIsRefusedBeforeAnythingElse() {
    assertEquals(SignalError.TOO_LARGE, refusal(new byte[SignalCodec.MAX_BYTES + 1]));
    assertEquals(SignalError.MALFORMED, refusal(new byte[SignalCodec.MIN_BYTES]));
    byte[] bytes = signedRequest(new Nonce128(4, 1));
    assertEquals(SignalError.MALFORMED, refusal(Arrays.copyOf(bytes, bytes.length + 1)));
  }

  @Test
  void onlyAnAnswerRefuses() {
    assertThrows(IllegalArgumentException.class, () -> new SignalBody(SignalKind.REQUEST, SignalTransport.QUIC,
        NatType.RANDOM, Refusal.BUSY, DIALLER.publicKey(), HOST.publicKey(), new Nonce128(0, 0),
        new Nonce128(0, 1), 0, 1, List.of(), new byte[0]));
  }
}
