package org.dialtone.dht.id;

import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Random;

/**
 * A 256-bit identifier in the Kademlia keyspace: a node id (SHA-256 of the node's Ed25519 public key) or a content
 * key (SHA-256 of a domain-separated string, see {@link Keys}).
 *
 * <p>Held as four longs so that XOR distance and distance comparison cost a handful of instructions and no
 * allocation. Instances are immutable.
 */
public final class NodeId implements Comparable<NodeId> {
  /** Size of an id in bytes. */
  public static final int BYTES = 32;
  /** Size of an id in bits. */
  public static final int BITS = 256;

  private final long w0;
  private final long w1;
  private final long w2;
  private final long w3;

  private NodeId(long w0, long w1, long w2, long w3) {
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
  }

  /** The id whose big-endian bytes are {@code bytes}; fails unless exactly 32 bytes are given. */
  public static NodeId of(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("a node id is 32 bytes, got " + bytes.length);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    return new NodeId(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
  }

  /** The id written as 64 hex digits. */
  public static NodeId ofHex(String hex) {
    if (hex.length() != BYTES * 2) {
      throw new IllegalArgumentException("a node id is 64 hex digits, got " + hex.length());
    }
    return of(HexFormat.of().parseHex(hex));
  }

  /** A uniformly random id drawn from {@code random}. */
  public static NodeId random(Random random) {
    return new NodeId(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
  }

  /** The id with every bit zero. */
  public static NodeId zero() {
    return new NodeId(0, 0, 0, 0);
  }

  /** The big-endian bytes of this id (a fresh copy). */
  public byte[] toBytes() {
    return ByteBuffer.allocate(BYTES).putLong(w0).putLong(w1).putLong(w2).putLong(w3).array();
  }

  /** The XOR distance between this id and {@code other}, itself an id. */
  public NodeId xor(NodeId other) {
    return new NodeId(w0 ^ other.w0, w1 ^ other.w1, w2 ^ other.w2, w3 ^ other.w3);
  }

  /**
   * The number of leading bits this id shares with {@code other} (256 when equal). Equals the number of leading
   * zero bits of the XOR distance; the routing table files a contact in the bucket of that index.
   */
  public int commonPrefixLength(NodeId other) {
    long x = w0 ^ other.w0;
    if (x != 0) {
      return Long.numberOfLeadingZeros(x);
    }
    x = w1 ^ other.w1;
    if (x != 0) {
      return 64 + Long.numberOfLeadingZeros(x);
    }
    x = w2 ^ other.w2;
    if (x != 0) {
      return 128 + Long.numberOfLeadingZeros(x);
    }
    x = w3 ^ other.w3;
    return x != 0 ? 192 + Long.numberOfLeadingZeros(x) : 256;
  }

  /** Bit {@code index} of this id, counted from the most significant bit (index 0). */
  public boolean bit(int index) {
    if (index < 0 || index >= BITS) {
      throw new IndexOutOfBoundsException(index);
    }
    long word = switch (index >>> 6) {
      case 0 -> w0;
      case 1 -> w1;
      case 2 -> w2;
      default -> w3;
    };
    return ((word >>> (63 - (index & 63))) & 1L) != 0;
  }

  /** This id with bit {@code index} (from the most significant) flipped. */
  public NodeId flipBit(int index) {
    if (index < 0 || index >= BITS) {
      throw new IndexOutOfBoundsException(index);
    }
    long mask = 1L << (63 - (index & 63));
    return switch (index >>> 6) {
      case 0 -> new NodeId(w0 ^ mask, w1, w2, w3);
      case 1 -> new NodeId(w0, w1 ^ mask, w2, w3);
      case 2 -> new NodeId(w0, w1, w2 ^ mask, w3);
      default -> new NodeId(w0, w1, w2, w3 ^ mask);
    };
  }

  /**
   * A random id that shares exactly {@code prefixLength} leading bits with this one (for refreshing the bucket of
   * that index). {@code prefixLength} is 0..255.
   */
  public NodeId randomWithCommonPrefix(int prefixLength, Random random) {
    if (prefixLength < 0 || prefixLength >= BITS) {
      throw new IllegalArgumentException("prefix length must be 0..255, got " + prefixLength);
    }
    long[] self = {w0, w1, w2, w3};
    long[] out = {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
    int full = prefixLength >>> 6;
    System.arraycopy(self, 0, out, 0, full);
    int rem = prefixLength & 63;
    if (rem > 0) {
      long keep = -1L << (64 - rem);
      out[full] = (self[full] & keep) | (out[full] & ~keep);
    }
    NodeId candidate = new NodeId(out[0], out[1], out[2], out[3]);
    // Force the bit right after the prefix to differ, so the common prefix is exactly prefixLength.
    return candidate.bit(prefixLength) == bit(prefixLength) ? candidate.flipBit(prefixLength) : candidate;
  }

  /**
   * Compares the XOR distances of {@code a} and {@code b} to this id: negative when {@code a} is closer, zero when
   * they are the same id, positive when {@code b} is closer.
   */
  public int compareDistance(NodeId a, NodeId b) {
    int c = Long.compareUnsigned(a.w0 ^ w0, b.w0 ^ w0);
    if (c != 0) {
      return c;
    }
    c = Long.compareUnsigned(a.w1 ^ w1, b.w1 ^ w1);
    if (c != 0) {
      return c;
    }
    c = Long.compareUnsigned(a.w2 ^ w2, b.w2 ^ w2);
    return c != 0 ? c : Long.compareUnsigned(a.w3 ^ w3, b.w3 ^ w3);
  }

  /** Orders ids by XOR distance to this id, nearest first. */
  public Comparator<NodeId> distanceOrder() {
    return this::compareDistance;
  }

  /** Unsigned big-endian order of the ids as numbers; the order of distances when both are distances. */
  @Override
  public int compareTo(NodeId o) {
    int c = Long.compareUnsigned(w0, o.w0);
    if (c != 0) {
      return c;
    }
    c = Long.compareUnsigned(w1, o.w1);
    if (c != 0) {
      return c;
    }
    c = Long.compareUnsigned(w2, o.w2);
    return c != 0 ? c : Long.compareUnsigned(w3, o.w3);
  }

  /** 64 lowercase hex digits. */
  public String toHex() {
    return HexFormat.of().formatHex(toBytes());
  }

  /** The first 8 hex digits, for logs. */
  public String shortHex() {
    return toHex().substring(0, 8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeId n && n.w0 == w0 && n.w1 == w1 && n.w2 == w2 && n.w3 == w3;
  }

  @Override
  public int hashCode() {
    // The ids are hashes already; the low word is as good a hash as any.
    return Long.hashCode(w3);
  }

  @Override
  public String toString() {
    return toHex();
  }

}
