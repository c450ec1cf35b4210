package org.dialtone.agent.reach.signal;

import java.util.Arrays;
import java.util.Objects;
import org.dialtone.dht.crypto.Identity;

/**
 * A signal and its sender's Ed25519 signature over {@code "dialtone-signal-v1" || } the encoded body.
 *
 * @param body what the sender says
 * @param signature 64 bytes
 */
public record SignedSignal(SignalBody body, byte[] signature) {
  /** Validates and copies. */
  public SignedSignal {
    Objects.requireNonNull(body, "body must not be null");
    if (signature.length != Identity.SIGNATURE_BYTES) {
      throw new IllegalArgumentException("a signature is " + Identity.SIGNATURE_BYTES + " bytes, got "
          + signature.length);
    }
    signature = signature.clone();
  }

  /** Signs {@code body} with {@code sender}, whose key must be the body's sender. */
  public static SignedSignal sign(SignalBody body, Identity sender) {
    if (!sender.publicKey().equals(body.sender())) {
      throw new IllegalArgumentException("the body names sender " + body.sender() + ", not " + sender.publicKey());
    }
    return new SignedSignal(body, sender.sign(SignalCodec.signedBytes(body)));
  }

  /** True when the signature verifies under the body's sender key. */
  public boolean signatureValid() {
    return body.sender().verify(SignalCodec.signedBytes(body), signature);
  }

  /** A copy of the signature. */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedSignal s && body.equals(s.body) && Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return 31 * body.hashCode() + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SignedSignal[" + body + "]";
  }
}
