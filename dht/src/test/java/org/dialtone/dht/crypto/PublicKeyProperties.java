package org.dialtone.dht.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Verification answers, never throws: any 32 bytes are a key (most are not a point on the curve, and those verify
 * nothing), a real signature verifies under its key and message only, and a single flipped bit anywhere undoes it.
 */
class PublicKeyProperties {
  @Property(tries = 300)
  void arbitraryKeysAndSignaturesVerifyNothing(@ForAll @Size(32) byte[] key, @ForAll @Size(64) byte[] signature,
      @ForAll @Size(max = 100) byte[] message) {
    assertFalse(PublicKey.of(key).verify(message, signature));
  }

  @Property(tries = 100)
  void aSignatureVerifiesOnlyAsSigned(@ForAll @Size(max = 100) byte[] message,
      @ForAll @IntRange(min = 0, max = 8 * (32 + 64) - 1) int bit) {
    Identity signer = Identity.generate();
    byte[] key = signer.publicKey().toBytes();
    byte[] signature = signer.sign(message);
    assertTrue(PublicKey.of(key).verify(message, signature));

    if (bit < 8 * 32) {
      key[bit / 8] ^= (byte) (1 << (bit % 8));
    } else {
      signature[(bit - 8 * 32) / 8] ^= (byte) (1 << (bit % 8));
    }
    assertFalse(PublicKey.of(key).verify(message, signature), "bit " + bit + " flipped, still verifies");
  }

  @Property(tries = 50)
  void aSignatureOfWrongLengthVerifiesNothing(@ForAll @Size(max = 128) byte[] signature) {
    Identity signer = Identity.generate();
    byte[] message = {1, 2, 3};
    assertTrue(signature.length == 64 || !signer.publicKey().verify(message, signature));
  }
}
