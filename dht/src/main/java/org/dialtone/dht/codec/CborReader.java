package org.dialtone.dht.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.dialtone.dht.codec.CborException.Rule;

/**
 * A pull reader of exactly one CBOR data item in the subset the protocol speaks, refusing everything else with a
 * {@link CborException} that names the rule broken.
 *
 * <p>The subset ({@code docs/protocol.md}, "The CBOR subset"): unsigned and negative integers, byte strings, UTF-8
 * text strings, arrays, maps with integer keys, {@code true} and {@code false}; every length definite; every integer,
 * length and count in its shortest form; the keys of each map in strictly ascending order (so no duplicates); no tags,
 * floats or other simple values; nesting no deeper than the depth given. This is RFC 8949's core deterministic
 * encoding (section 4.2.1) of those types, so a value has exactly one encoding and the reader accepts only it.
 *
 * <p>How to read: {@link #peek()} says what the next item is (and checks its head); a {@code read} method consumes
 * an item of that kind; {@link #readArray()} and {@link #readMap()} return the count and the caller then reads that
 * many items (two per map entry: the key, then the value); {@link #skip()} consumes a whole item of any kind, nested
 * items included. {@link #expectEnd()} checks that nothing follows the top-level item. Calling a {@code read} method
 * for the wrong kind is a bug in the caller ({@link IllegalStateException}), never a property of the input.
 *
 * <p>Every length is checked against the bytes left before anything is allocated, and nesting against the depth
 * limit before it is entered, so a 1,232-byte datagram costs at most a few kilobytes to refuse. Not thread-safe; one
 * reader per input, which it does not copy (the caller must not change it while reading).
 */
public final class CborReader {
  /** What the next item is. */
  public enum Kind { UNSIGNED, NEGATIVE, BYTES, TEXT, ARRAY, MAP, BOOLEAN }

  private static final Kind[] KINDS = {
    Kind.UNSIGNED, Kind.NEGATIVE, Kind.BYTES, Kind.TEXT, Kind.ARRAY, Kind.MAP, null, Kind.BOOLEAN
  };
  private static final byte[] NO_BYTES = new byte[0];

  private final byte[] in;
  private final int maxDepth;
  private int pos;

  // The open arrays and maps, innermost last: items still to read (two per map entry), and each map's last key.
  private final long[] remaining;
  private final boolean[] isMap;
  private final int[] lastKeyMajor;
  private final long[] lastKey;
  private int depth;
  private boolean topRead;

  // The head of the next item, once peeked (headLength > 0).
  private int headLength;
  private int major;
  private long argument;

  /**
   * A reader of the one item in {@code in}, allowing arrays and maps nested {@code maxDepth} deep (the outermost
   * array or map is level 1).
   */
  public CborReader(byte[] in, int maxDepth) {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1, got " + maxDepth);
    }
    this.in = in; // not copied: the decoder's hot path; the caller does not change it while reading
    this.maxDepth = maxDepth;
    this.remaining = new long[maxDepth];
    this.isMap = new boolean[maxDepth];
    this.lastKeyMajor = new int[maxDepth];
    this.lastKey = new long[maxDepth];
  }

  /** Where the next item starts (after the last one read), for messages. */
  public int position() {
    return pos;
  }

  /** The kind of the next item; checks its head against the subset's rules but consumes nothing. */
  public Kind peek() throws CborException {
    if (headLength == 0) {
      decodeHead();
    }
    return KINDS[major];
  }

  /** The next item, an unsigned integer, as 64 unsigned bits (a negative {@code long} for 2^63 and above). */
  public long readUnsigned() throws CborException {
    expect(Kind.UNSIGNED);
    long value = argument;
    consumeScalar(0);
    return value;
  }

  /**
   * The next item, a negative integer, as its argument {@code n} in 64 unsigned bits: the integer is {@code -1 - n}
   * (so {@code n} of 2^63 and above is below {@code Long.MIN_VALUE}).
   */
  public long readNegative() throws CborException {
    expect(Kind.NEGATIVE);
    long value = argument;
    consumeScalar(0);
    return value;
  }

  /** The next item, a byte string; its length was checked against the input before copying. */
  public byte[] readBytes() throws CborException {
    expect(Kind.BYTES);
    int start = pos + headLength;
    int length = (int) argument;
    consumeScalar(length);
    return length == 0 ? NO_BYTES : Arrays.copyOfRange(in, start, start + length);
  }

  /** The next item, a text string, decoded strictly: invalid UTF-8 is {@link Rule#INVALID_UTF8}. */
  public String readText() throws CborException {
    expect(Kind.TEXT);
    int at = pos;
    int start = pos + headLength;
    int length = (int) argument;
    String text = utf8(at, start, length);
    consumeScalar(length);
    return text;
  }

  /** The next item, {@code true} or {@code false}. */
  public boolean readBoolean() throws CborException {
    expect(Kind.BOOLEAN);
    boolean value = argument == 21;
    consumeScalar(0);
    return value;
  }

  /** Opens the next item, an array, and returns its element count; the caller then reads that many items. */
  public int readArray() throws CborException {
    expect(Kind.ARRAY);
    int count = (int) argument;
    open(false, count);
    return count;
  }

  /** Opens the next item, a map, and returns its entry count; the caller then reads a key and a value per entry. */
  public int readMap() throws CborException {
    expect(Kind.MAP);
    int count = (int) argument;
    open(true, 2L * count);
    return count;
  }

  /**
   * Reads a map key: its value when it is an integer in 0..{@link Integer#MAX_VALUE}, -1 for any other integer
   * (a key no version of the protocol uses, to be skipped). A key that is not an integer is refused when peeked.
   */
  public int readKey() throws CborException {
    Kind kind = peek();
    if (kind == Kind.UNSIGNED) {
      long key = readUnsigned();
      return key >= 0 && key <= Integer.MAX_VALUE ? (int) key : -1;
    }
    readNegative();
    return -1;
  }

  /** Consumes the next item whole, nested items included, checking all of it as strictly as reading it would. */
  public void skip() throws CborException {
    int outer = depth;
    do {
      switch (peek()) {
        case UNSIGNED -> readUnsigned();
        case NEGATIVE -> readNegative();
        case BYTES -> consumeScalar((int) argument);
        case TEXT -> readText();
        case BOOLEAN -> readBoolean();
        case ARRAY -> readArray();
        case MAP -> readMap();
      }
    } while (depth > outer);
  }

  /** Checks that the top-level item has been read whole and that no byte follows it. */
  public void expectEnd() throws CborException {
    if (!topRead || depth > 0) {
      throw new IllegalStateException("the top-level item has not been read whole");
    }
    if (pos < in.length) {
      throw new CborException(Rule.TRAILING_BYTES, pos, (in.length - pos) + " bytes after the item");
    }
  }

  // -----------------------------------------------------------------------------------------------------------------

  private void expect(Kind kind) throws CborException {
    if (peek() != kind) {
      throw new IllegalStateException("the next item is " + peek() + ", not " + kind);
    }
  }

  /** Decodes and checks the head of the next item into {@link #major}, {@link #argument}, {@link #headLength}. */
  private void decodeHead() throws CborException {
    if (topRead && depth == 0) {
      throw new IllegalStateException("the top-level item has been read");
    }
    if (pos >= in.length) {
      throw new CborException(Rule.TRUNCATED, pos, "the input ends where an item should start");
    }
    int initial = in[pos] & 0xff;
    int m = initial >>> 5;
    int info = initial & 0x1f;
    if (m == 6) {
      throw new CborException(Rule.TAG, pos, "a tag");
    }
    if (m == 7) {
      switch (info) {
        case 20, 21 -> { }
        case 25, 26, 27 -> throw new CborException(Rule.FLOAT, pos, "a floating-point number");
        case 28, 29, 30 -> throw new CborException(Rule.NOT_WELL_FORMED, pos, "reserved additional information");
        case 31 -> throw new CborException(Rule.NOT_WELL_FORMED, pos, "a break outside an indefinite-length item");
        default -> throw new CborException(Rule.SIMPLE_VALUE, pos, "a simple value other than true or false");
      }
      checkKey(m, 0);
      major = m;
      argument = info;
      headLength = 1;
      return;
    }
    long value;
    int length;
    if (info < 24) {
      value = info;
      length = 1;
    } else if (info <= 27) {
      int bytes = 1 << (info - 24);
      if (pos + 1 + bytes > in.length) {
        throw new CborException(Rule.TRUNCATED, pos, "the input ends inside a head");
      }
      value = 0;
      for (int i = 1; i <= bytes; i++) {
        value = (value << 8) | (in[pos + i] & 0xff);
      }
      long smallest = bytes == 1 ? 24 : 1L << (8 * (bytes / 2)); // 24, 2^8, 2^16, 2^32
      if (Long.compareUnsigned(value, smallest) < 0) {
        throw new CborException(Rule.NOT_SHORTEST, pos, "a value of " + Long.toUnsignedString(value)
            + " written in " + bytes + " bytes");
      }
      length = 1 + bytes;
    } else if (info == 31) {
      if (m >= 2) {
        throw new CborException(Rule.INDEFINITE_LENGTH, pos, "an indefinite-length item");
      }
      throw new CborException(Rule.NOT_WELL_FORMED, pos, "an integer with indefinite length");
    } else {
      throw new CborException(Rule.NOT_WELL_FORMED, pos, "reserved additional information");
    }
    if (m >= 2) {
      // A string needs its length in bytes, an array at least a byte per element, a map two per entry: a length
      // beyond the bytes left cannot be honest, and is refused before anything is allocated for it.
      long left = in.length - (pos + length);
      long most = m == 5 ? left / 2 : left;
      if (Long.compareUnsigned(value, most) > 0) {
        throw new CborException(Rule.TRUNCATED, pos, "a length of " + Long.toUnsignedString(value)
            + " where " + left + " bytes are left");
      }
    }
    checkKey(m, value);
    major = m;
    argument = value;
    headLength = length;
  }

  /** When the next item is a map key: it must be an integer, above the map's last key. */
  private void checkKey(int m, long value) throws CborException {
    int top = depth - 1;
    if (top < 0 || !isMap[top] || remaining[top] % 2 != 0) {
      return;
    }
    if (m > 1) {
      throw new CborException(Rule.KEY_NOT_INTEGER, pos, "a map key that is not an integer");
    }
    if (lastKeyMajor[top] >= 0) {
      int order = lastKeyMajor[top] != m ? Integer.compare(lastKeyMajor[top], m)
          : Long.compareUnsigned(lastKey[top], value);
      if (order == 0) {
        throw new CborException(Rule.DUPLICATE_KEY, pos, "a duplicate map key");
      }
      if (order > 0) {
        throw new CborException(Rule.KEYS_OUT_OF_ORDER, pos, "map keys out of ascending order");
      }
    }
  }

  /** Consumes the peeked head and {@code contentLength} bytes after it, as one item of the open container. */
  private void consumeScalar(int contentLength) {
    countItem();
    pos += headLength + contentLength;
    headLength = 0;
    closeFinished();
  }

  private void open(boolean map, long items) throws CborException {
    if (depth == maxDepth) {
      throw new CborException(Rule.TOO_DEEP, pos, "arrays and maps nested deeper than " + maxDepth);
    }
    countItem();
    pos += headLength;
    headLength = 0;
    remaining[depth] = items;
    isMap[depth] = map;
    lastKeyMajor[depth] = -1;
    depth++;
    closeFinished();
  }

  /** Counts the item starting now against the innermost container, remembering it when it is a key. */
  private void countItem() {
    if (depth == 0) {
      topRead = true;
      return;
    }
    int top = depth - 1;
    if (isMap[top] && remaining[top] % 2 == 0) {
      lastKeyMajor[top] = major;
      lastKey[top] = argument;
    }
    remaining[top]--;
  }

  /** Closes every container whose items have all been read. */
  private void closeFinished() {
    while (depth > 0 && remaining[depth - 1] == 0) {
      depth--;
    }
  }

  private String utf8(int at, int start, int length) throws CborException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(in, start, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CborException(Rule.INVALID_UTF8, at, "a text string that is not valid UTF-8");
    }
  }
}
