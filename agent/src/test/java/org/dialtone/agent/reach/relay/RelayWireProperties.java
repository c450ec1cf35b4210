package org.dialtone.agent.reach.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.dialtone.dht.crypto.Identity;

/** The reservation socket's codec: round trips, strict about length, and noise is only ever a RelayWireException. */
class RelayWireProperties {
  private static final Identity KEY = Identity.generate();

  @Property(tries = 300)
  void everyMessageRoundTrips(@ForAll("messages") RelayMessage m) {
    byte[] bytes = RelayWire.encode(m);
    assertTrue(bytes.length <= RelayWire.MAX_BYTES);
    assertEquals(m, RelayWire.decode(bytes));
  }

  @Property(tries = 300)
  void everyTruncationAndEveryExtensionIsRefused(@ForAll("messages") RelayMessage m,
      @ForAll @IntRange(min = 0, max = 1000) int cut) {
    byte[] bytes = RelayWire.encode(m);
    byte[] shorter = Arrays.copyOf(bytes, cut % bytes.length);
    assertThrows(RelayWireException.class, () -> RelayWire.decode(shorter));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(RelayWireException.class, () -> RelayWire.decode(longer));
  }

  @Property(tries = 500)
  void noiseIsOnlyEverARelayWireException(@ForAll("noise") byte[] noise) {
    try {
      RelayWire.decode(noise);
    } catch (RelayWireException e) {
      // refused, with a reason
    }
  }

  @Provide
  Arbitrary<RelayMessage> messages() {
    Arbitrary<byte[]> nonce = Arbitraries.bytes().array(byte[].class).ofSize(RelayMessage.NONCE_BYTES);
    Arbitrary<byte[]> token = Arbitraries.bytes().array(byte[].class).ofSize(RelayMessage.TOKEN_BYTES);
    Arbitrary<String> ip = Arbitraries.strings().withCharRange('0', '9').withChars('.', ':').ofMinLength(0)
        .ofMaxLength(64);
    return Arbitraries.oneOf(
        nonce.flatMap(n -> ip.map(a -> new RelayMessage.Challenge(n, a))),
        Arbitraries.bytes().array(byte[].class).ofSize(64).map(s -> new RelayMessage.Proof(KEY.publicKey(), s)),
        Arbitraries.integers().between(1, 65535).map(RelayMessage.DialBack::new),
        Arbitraries.of(true, false).map(RelayMessage.DialBackResult::new),
        Arbitraries.just(new RelayMessage.Reserve()),
        Arbitraries.longs().between(1, Long.MAX_VALUE).map(RelayMessage.Reserved::new),
        Arbitraries.strings().withCharRange('A', 'Z').withChars('_').ofMinLength(1).ofMaxLength(32)
            .map(RelayMessage.Refused::new),
        token.flatMap(t -> ip.map(a -> new RelayMessage.CircuitOffer(t, a))));
  }

  @Provide
  Arbitrary<byte[]> noise() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(RelayWire.MAX_BYTES + 10);
    Arbitrary<byte[]> withMagic = random.map(b -> {
      byte[] out = Arrays.copyOf(b, Math.max(b.length, 5));
      out[0] = 'D';
      out[1] = 'T';
      out[2] = 'R';
      out[3] = '1';
      out[4] = (byte) (Math.floorMod(out[4], 10));
      return out;
    });
    return Arbitraries.oneOf(random, withMagic);
  }
}
