package org.dialtone.dht.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.dialtone.dht.id.Keys;
import org.dialtone.dht.id.NodeId;

/**
 * An Ed25519 public key (32 bytes). Immutable; the decoded curve point and the node id are computed once and kept, so
 * a key that verifies many signatures decodes its point only once.
 */
public final class PublicKey {
  /** Size of an encoded Ed25519 public key. */
  public static final int BYTES = Ed25519.PUBLIC_KEY_SIZE;

  private final byte[] bytes;
  private final int hash;
  private volatile NodeId nodeId;
  // Absent until the first verification; INVALID_POINT when the bytes are not a point on the curve.
  private volatile Object point;
  private static final Object INVALID_POINT = new Object();

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
    if (signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    Object p = point;
    if (p == null) {
      Ed25519.PublicPoint decoded = Ed25519.validatePublicKeyPartialExport(bytes, 0);
      p = decoded == null ? INVALID_POINT : decoded;
      point = p;
    }
    if (p == INVALID_POINT) {
      return false;
    }
    return Ed25519.verify(signature, 0, (Ed25519.PublicPoint) p, message, 0, message.length);
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
