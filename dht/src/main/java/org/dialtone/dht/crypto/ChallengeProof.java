package org.dialtone.dht.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Proof that a peer holds the private key of the public key it claims: the requester sends fresh random bytes (a
 * challenge), the responder signs {@code "dialtone-challenge-v1\0" || challenge}. A signature cannot be replayed to
 * another requester or request, because every challenge is new; the domain prefix keeps the signature from meaning
 * anything in any other context (it can never pass for a record signature).
 */
public final class ChallengeProof {
  private static final byte[] DOMAIN = "dialtone-challenge-v1\0".getBytes(StandardCharsets.US_ASCII);

  private ChallengeProof() {}

  /** The responder's signature of {@code challenge}. */
  public static byte[] sign(Identity responder, byte[] challenge) {
    return responder.sign(message(challenge));
  }

  /** True when {@code signature} proves that {@code responder}'s private key signed {@code challenge}. */
  public static boolean verify(PublicKey responder, byte[] challenge, byte[] signature) {
    return responder.verify(message(challenge), signature);
  }

  private static byte[] message(byte[] challenge) {
    byte[] m = new byte[DOMAIN.length + challenge.length];
    System.arraycopy(DOMAIN, 0, m, 0, DOMAIN.length);
    System.arraycopy(challenge, 0, m, DOMAIN.length, challenge.length);
    return m;
  }
}
