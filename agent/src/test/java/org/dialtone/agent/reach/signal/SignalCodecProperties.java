package org.dialtone.agent.reach.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.net.PeerAddress;

class SignalCodecProperties {
  @Provide
  Arbitrary<SignalBody> bodies() {
    Arbitrary<Candidate> candidate = Combinators.combine(
        Arbitraries.of(Candidate.Type.class),
        Arbitraries.bytes().array(byte[].class).ofSize(4).injectDuplicates(0.0)
            .flatMap(v4 -> Arbitraries.bytes().array(byte[].class).ofSize(16).map(v6 -> new byte[][] {v4, v6}))
            .flatMap(pair -> Arbitraries.of(pair[0], pair[1])),
        Arbitraries.integers().between(0, 65535))
        .as((t, ip, port) -> new Candidate(t, PeerAddress.of(ip, port)));
    Arbitrary<SignalKind> kind = Arbitraries.of(SignalKind.class);
    Arbitrary<Nonce128> nonce = Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Nonce128::new);
    return Combinators.combine(
        kind,
        Arbitraries.of(SignalTransport.class),
        Arbitraries.of(NatType.class),
        Arbitraries.of(Refusal.class),
        nonce,
        nonce,
        Arbitraries.longs().between(0, Long.MAX_VALUE / 2),
        Arbitraries.longs().between(1, SignalVerifier.MAX_LIFETIME_MILLIS))
        .flatAs((k, t, nat, refusal, session, n, issued, lifetime) -> Combinators.combine(
            candidate.list().ofMaxSize(SignalCodec.MAX_CANDIDATES),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(SignalCodec.MAX_PAYLOAD_BYTES))
            .as((cands, payload) -> new SignalBody(k, t, nat, k == SignalKind.ANSWER ? refusal : Refusal.NONE,
                SignalFixtures.DIALLER.publicKey(), SignalFixtures.HOST.publicKey(), session, n, issued,
                issued + lifetime, cands, payload)));
  }

  @Property(tries = 150)
  void roundTripsAndFitsTheBound(@ForAll("bodies") SignalBody body) throws SignalException {
    SignedSignal signed = SignedSignal.sign(body, SignalFixtures.DIALLER);
    byte[] bytes = SignalCodec.encode(signed);
    assertTrue(bytes.length <= SignalCodec.MAX_BYTES, bytes.length + " bytes");
    SignedSignal decoded = SignalCodec.decode(bytes);
    assertEquals(signed, decoded);
    assertTrue(decoded.signatureValid());
    assertArrayEquals(bytes, SignalCodec.encode(decoded));
  }

  /** Any change to any byte is caught: the envelope no longer parses, or its signature no longer verifies. */
  @Property(tries = 150)
  void everyByteIsCovered(@ForAll("bodies") SignalBody body, @ForAll @IntRange(min = 0, max = 100_000) int where,
      @ForAll @IntRange(min = 1, max = 255) int xor) {
    byte[] bytes = SignalCodec.encode(SignedSignal.sign(body, SignalFixtures.DIALLER));
    bytes[where % bytes.length] ^= (byte) xor;
    try {
      assertFalse(SignalCodec.decode(bytes).signatureValid(), "a changed byte still verified");
    } catch (SignalException e) {
      assertTrue(e.error() == SignalError.MALFORMED || e.error() == SignalError.TOO_LARGE, e.getMessage());
    }
  }

  @Property(tries = 100)
  void everyTruncationIsMalformed(@ForAll("bodies") SignalBody body, @ForAll @IntRange(min = 0, max = 100_000) int cut) {
    byte[] bytes = SignalCodec.encode(SignedSignal.sign(body, SignalFixtures.DIALLER));
    byte[] shorter = Arrays.copyOf(bytes, cut % bytes.length);
    SignalException e = assertThrows(SignalException.class, () -> SignalCodec.decode(shorter));
    assertEquals(SignalError.MALFORMED, e.error());
  }

  @Property(tries = 100)
  void arbitraryBytesNeverThrowAnythingButASignalException(
      @ForAll("noise") byte[] noise) {
    try {
      SignalCodec.decode(noise);
    } catch (SignalException e) {
      assertTrue(List.of(SignalError.MALFORMED, SignalError.TOO_LARGE).contains(e.error()));
    }
  }

  @Provide
  Arbitrary<byte[]> noise() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(SignalCodec.MAX_BYTES + 10);
    // Noise behind a valid magic reaches the deeper checks.
    Arbitrary<byte[]> withMagic = random.map(b -> {
      byte[] out = Arrays.copyOf(b, Math.max(b.length, 4));
      System.arraycopy(SignalCodec.MAGIC, 0, out, 0, 4);
      return out;
    });
    return Arbitraries.oneOf(random, withMagic);
  }
}
