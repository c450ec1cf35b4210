package org.dialtone.dht.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes CBOR in the subset {@link CborReader} reads, always in its one deterministic form: every integer, length and
 * count in its shortest encoding, definite lengths only. The caller writes the items in order (for a map: its count,
 * then key, value, key, value... with keys ascending, which the protocol's encoders do by construction and the
 * reader checks).
 *
 * <p>Trusts its caller: it refuses (with {@link IllegalArgumentException}) only what has no encoding in the subset,
 * such as a negative count. Not thread-safe.
 */
public final class CborWriter {
  private static final int UNSIGNED = 0;
  private static final int NEGATIVE = 1 << 5;
  private static final int BYTES = 2 << 5;
  private static final int TEXT = 3 << 5;
  private static final int ARRAY = 4 << 5;
  private static final int MAP = 5 << 5;
  private static final int FALSE = 0xf4;
  private static final int TRUE = 0xf5;
  /** The largest count whose head is one byte, so that it can be filled in after the entries. */
  public static final int MAX_SMALL_COUNT = 23;

  private byte[] out;
  private int size;

  /** A writer whose buffer starts at {@code initialCapacity} bytes and grows as needed. */
  public CborWriter(int initialCapacity) {
    out = new byte[Math.max(16, initialCapacity)];
  }

  /** An integer, unsigned (major type 0) when {@code value >= 0}, negative (major type 1) otherwise. */
  public CborWriter integer(long value) {
    // -1 - value, for a negative value, is ~value: the argument of major type 1.
    return value >= 0 ? head(UNSIGNED, value) : head(NEGATIVE, ~value);
  }

  /** A byte string. */
  public CborWriter bytes(byte[] value) {
    return bytesAs(BYTES, value);
  }

  /**
   * A text string, {@code value} in UTF-8. The caller passes well-formed UTF-16 (no unpaired surrogate, which has no
   * UTF-8 encoding).
   */
  public CborWriter text(String value) {
    return bytesAs(TEXT, value.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code true} or {@code false}. */
  public CborWriter bool(boolean value) {
    ensure(1);
    out[size++] = (byte) (value ? TRUE : FALSE);
    return this;
  }

  /** The head of an array of {@code count} elements, which the caller writes next. */
  public CborWriter array(int count) {
    return head(ARRAY, checkCount(count));
  }

  /** The head of a map of {@code count} entries, which the caller writes next (key, value, keys ascending). */
  public CborWriter map(int count) {
    return head(MAP, checkCount(count));
  }

  /**
   * Leaves room for the head of a map of at most {@link #MAX_SMALL_COUNT} entries, to be filled in by
   * {@link #fillMap} once they are written (a one-byte head, so nothing has to move); returns where it is.
   */
  public int reserveMap() {
    ensure(1);
    return size++;
  }

  /** Fills in the map head reserved at {@code at} with its count of entries. */
  public void fillMap(int at, int count) {
    if (count < 0 || count > MAX_SMALL_COUNT) {
      throw new IllegalArgumentException("a reserved map head holds 0.." + MAX_SMALL_COUNT + " entries, got " + count);
    }
    out[at] = (byte) (MAP | count);
  }

  /** How many bytes have been written. */
  public int size() {
    return size;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(out, size);
  }

  private CborWriter bytesAs(int major, byte[] value) {
    head(major, value.length);
    ensure(value.length);
    System.arraycopy(value, 0, out, size, value.length);
    size += value.length;
    return this;
  }

  private static int checkCount(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("a count is never negative, got " + count);
    }
    return count;
  }

  /** A head: the major type and its argument (as 64 unsigned bits) in the shortest form. */
  private CborWriter head(int major, long argument) {
    ensure(9);
    if (argument >= 0 && argument < 24) {
      out[size++] = (byte) (major | argument);
    } else if (argument >= 0 && argument < 0x100) {
      out[size++] = (byte) (major | 24);
      out[size++] = (byte) argument;
    } else if (argument >= 0 && argument < 0x10000) {
      out[size++] = (byte) (major | 25);
      putBigEndian(argument, 2);
    } else if (argument >= 0 && argument < 0x100000000L) {
      out[size++] = (byte) (major | 26);
      putBigEndian(argument, 4);
    } else {
      out[size++] = (byte) (major | 27);
      putBigEndian(argument, 8);
    }
    return this;
  }

  private void putBigEndian(long value, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      out[size++] = (byte) (value >>> (8 * i));
    }
  }

  private void ensure(int more) {
    if (size + more > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
    }
  }
}
