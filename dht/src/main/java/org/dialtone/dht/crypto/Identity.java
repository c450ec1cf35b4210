package org.dialtone.dht.crypto;

import java.security.SecureRandom;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.dialtone.dht.id.NodeId;

/**
 * An Ed25519 key pair: the private seed and its public key. A node's id is the SHA-256 of the public key, so the
 * identity is what a node keeps across restarts (see {@link IdentityFile}).
 */
public final class Identity {
  /** Size of an Ed25519 signature. */
  public static final int SIGNATURE_BYTES = Ed25519.SIGNATURE_SIZE;
  /** Size of the private seed. */
  public static final int SEED_BYTES = Ed25519.SECRET_KEY_SIZE;

  private final byte[] seed;
  private final byte[] publicKeyBytes;
  private final PublicKey publicKey;

  private Identity(byte[] seed) {
    this.seed = seed;
    this.publicKeyBytes = new byte[PublicKey.BYTES];
    Ed25519.generatePublicKey(seed, 0, publicKeyBytes, 0);
    this.publicKey = PublicKey.of(publicKeyBytes);
  }

  /** A fresh identity from a cryptographically strong random source. */
  public static Identity generate() {
    return generate(new SecureRandom());
  }

  /** A fresh identity from {@code random}: pass a seeded {@link Random} only for simulations and tests. */
  public static Identity generate(Random random) {
    byte[] seed = new byte[SEED_BYTES];
    random.nextBytes(seed);
    return new Identity(seed);
  }

  /** The identity with this 32-byte private seed (copied). */
  public static Identity fromSeed(byte[] seed) {
    if (seed.length != SEED_BYTES) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + seed.length);
    }
    return new Identity(seed.clone());
  }

  /** The public half. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** SHA-256 of the public key. */
  public NodeId nodeId() {
    return publicKey.nodeId();
  }

  /** The 64-byte Ed25519 signature of {@code message}. */
  public byte[] sign(byte[] message) {
    byte[] sig = new byte[SIGNATURE_BYTES];
    Ed25519.sign(seed, 0, publicKeyBytes, 0, message, 0, message.length, sig, 0);
    return sig;
  }

  /** A copy of the private seed, for {@link IdentityFile}. Never log or send it. */
  byte[] seedCopy() {
    return seed.clone();
  }

  @Override
  public String toString() {
    return "Identity[" + publicKey.toHex() + "]";
  }
}
