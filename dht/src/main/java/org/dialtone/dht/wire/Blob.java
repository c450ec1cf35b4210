package org.dialtone.dht.wire;

import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string with value equality, for the byte fields of messages (challenges, tokens, signatures). */
public final class Blob {
  private final byte[] bytes;

  private Blob(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A blob holding a copy of {@code bytes}. */
  public static Blob of(byte[] bytes) {
    return new Blob(bytes.clone());
  }

  /** A blob that takes ownership of {@code bytes}: the caller must not change the array afterwards. */
  static Blob wrap(byte[] bytes) {
    return new Blob(bytes);
  }

  /** A copy of the bytes. */
  public byte[] toArray() {
    return bytes.clone();
  }

  /** The number of bytes. */
  public int size() {
    return bytes.length;
  }

  /** The bytes without copying, for the codec only. */
  byte[] unsafeArray() {
    return bytes;
  }

  /** True when the bytes equal {@code other}. */
  public boolean contentEquals(byte[] other) {
    return Arrays.equals(bytes, other);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Blob b && Arrays.equals(b.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
