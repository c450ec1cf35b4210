package org.dialtone.dht.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.dialtone.dht.id.Keys;
import org.dialtone.dht.id.NodeId;

/**
 * An Ed25519 public key (32 bytes). Immutable; the node id is computed once and kept. The decoded curve point is not
 * kept: a key verifies one signature in almost every case (a contact's challenge proof at admission; each record
 * arrives with a key of its own), and in a routing table the point would cost 128 bytes per contact for nothing.
 */
public final class PublicKey {
  /** Size of an encoded Ed25519 public key. */
  public static final int BYTES = Ed25519.PUBLIC_KEY_SIZE;

  private final byte[] bytes;
  private final int hash;
  private volatile NodeId nodeId;

  private PublicKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The key with these 32 bytes (copied). Any 32 bytes are accepted here; a non-point simply verifies nothing. */
  public static PublicKey of(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + bytes.length);
    }
    return new PublicKey(bytes.clone());
  }

  /** The key written as 64 hex digits. */
  public static PublicKey ofHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  /** A fresh copy of the 32 key bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Copies the key bytes into {@code out} at {@code offset}. */
  public void copyTo(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, BYTES);
  }

  /** The node id of this key: SHA-256 of its bytes. */
  public NodeId nodeId() {
    NodeId id = nodeId;
    if (id == null) {
      id = Keys.nodeIdOf(bytes);
      nodeId = id;
    }
    return id;
  }

  /** True when {@code signature} is this key's Ed25519 signature of {@code message}. */
  public boolean verify(byte[] message, byte[] signature) {
    // Bouncy Castle decodes the key here and answers false when the bytes are not a point on the curve.
    return signature.length == Ed25519.SIGNATURE_SIZE
        && Ed25519.verify(signature, 0, bytes, 0, message, 0, message.length);
  }

  /** 64 lowercase hex digits. */
  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** True when the bytes equal {@code other} (compared in constant time is not needed: keys are public). */
  public boolean matches(byte[] other) {
    return Arrays.equals(bytes, other);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return toHex();
  }
}
