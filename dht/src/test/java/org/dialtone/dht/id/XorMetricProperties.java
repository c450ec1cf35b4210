package org.dialtone.dht.id;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The laws of the XOR metric that Kademlia relies on, checked against {@link BigInteger} arithmetic on the ids' bytes.
 * Ids come uniformly random, from a few fixed values (zero, all ones, single bits), or as near neighbours of one
 * another, so long shared prefixes and carries across the four words get exercised.
 */
class XorMetricProperties {
  private static final BigInteger ALL_ONES = BigInteger.ONE.shiftLeft(NodeId.BITS).subtract(BigInteger.ONE);

  static BigInteger big(NodeId id) {
    return new BigInteger(1, id.toBytes());
  }

  static BigInteger distance(NodeId a, NodeId b) {
    return big(a.xor(b));
  }

  @Property
  void distanceToItselfIsZero(@ForAll("ids") NodeId a) {
    assertEquals(NodeId.zero(), a.xor(a));
    assertEquals(0, a.compareDistance(a, a));
  }

  @Property
  void zeroDistanceOnlyBetweenEqualIds(@ForAll("ids") NodeId a, @ForAll("ids") NodeId b) {
    assertEquals(a.equals(b), a.xor(b).equals(NodeId.zero()));
    assertEquals(a.equals(b), distance(a, b).signum() == 0);
  }

  @Property
  void distanceIsSymmetric(@ForAll("ids") NodeId a, @ForAll("ids") NodeId b) {
    assertEquals(a.xor(b), b.xor(a));
  }

  @Property
  void triangleInequality(@ForAll("ids") NodeId a, @ForAll("ids") NodeId b, @ForAll("ids") NodeId c) {
    // XOR is stronger than a metric here: d(a,c) = d(a,b) xor d(b,c), and x xor y <= x + y.
    assertEquals(a.xor(c), a.xor(b).xor(b.xor(c)));
    assertTrue(distance(a, c).compareTo(distance(a, b).add(distance(b, c))) <= 0);
  }

  @Property
  void unidirectional(@ForAll("ids") NodeId a, @ForAll("ids") NodeId d, @ForAll("ids") NodeId other) {
    // For any point a and distance d there is exactly one b with d(a, b) = d: b = a xor d.
    NodeId b = a.xor(d);
    assertEquals(d, a.xor(b));
    assertEquals(other.equals(b), a.xor(other).equals(d));
  }

  @Property
  void compareDistanceAgreesWithBigIntegers(@ForAll("ids") NodeId target, @ForAll("ids") NodeId a,
      @ForAll("ids") NodeId b) {
    int expected = distance(target, a).compareTo(distance(target, b));
    assertEquals(Integer.signum(expected), Integer.signum(target.compareDistance(a, b)));
    assertEquals(Integer.signum(expected), Integer.signum(target.distanceOrder().compare(a, b)));
    assertEquals(Integer.signum(expected), Integer.signum(target.xor(a).compareTo(target.xor(b))));
  }

  @Property
  void compareToIsUnsignedNumericOrder(@ForAll("ids") NodeId a, @ForAll("ids") NodeId b) {
    assertEquals(Integer.signum(big(a).compareTo(big(b))), Integer.signum(a.compareTo(b)));
  }

  @Property
  void commonPrefixLengthIsLeadingZerosOfTheDistance(@ForAll("ids") NodeId a, @ForAll("ids") NodeId b) {
    int expected = NodeId.BITS - distance(a, b).bitLength();
    assertEquals(expected, a.commonPrefixLength(b));
    assertEquals(expected, b.commonPrefixLength(a));
  }

  @Property
  void randomWithCommonPrefixSharesExactlyThatPrefix(@ForAll("ids") NodeId a,
      @ForAll @IntRange(min = 0, max = NodeId.BITS - 1) int prefix, @ForAll long seed) {
    NodeId b = a.randomWithCommonPrefix(prefix, new Random(seed));
    assertEquals(prefix, a.commonPrefixLength(b));
    assertNotEquals(a, b);
  }

  @Property
  void bitsAgreeWithBigIntegers(@ForAll("ids") NodeId a, @ForAll @IntRange(min = 0, max = NodeId.BITS - 1) int i) {
    assertEquals(big(a).testBit(NodeId.BITS - 1 - i), a.bit(i));
    assertEquals(big(a).flipBit(NodeId.BITS - 1 - i), big(a.flipBit(i)));
  }

  @Property
  void bytesRoundTrip(@ForAll("bytes") byte[] bytes) {
    NodeId id = NodeId.of(bytes);
    assertArrayEquals(bytes, id.toBytes());
    assertEquals(id, NodeId.of(id.toBytes()));
    assertEquals(new BigInteger(1, bytes), big(id));
  }

  @Property
  void hexRoundTrip(@ForAll("ids") NodeId id) {
    String hex = id.toHex();
    assertEquals(64, hex.length());
    assertEquals(hex.toLowerCase(Locale.ROOT), hex);
    assertEquals(id, NodeId.ofHex(hex));
    assertEquals(id, NodeId.ofHex(hex.toUpperCase(Locale.ROOT)));
    assertEquals(id.hashCode(), NodeId.ofHex(hex).hashCode());
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofSize(NodeId.BYTES);
  }

  @Provide
  Arbitrary<NodeId> ids() {
    Arbitrary<NodeId> uniform = bytes().map(NodeId::of);
    Arbitrary<NodeId> special = Arbitraries.integers().between(-1, NodeId.BITS - 1).map(bit -> bit < 0
        ? NodeId.of(toBytes(ALL_ONES))
        : NodeId.zero().flipBit(bit));
    // Ids that share a long prefix with a fixed one, so that any two of them are close.
    NodeId anchor = NodeId.ofHex("a5".repeat(NodeId.BYTES));
    Arbitrary<NodeId> nearAnchor = Arbitraries.integers().between(0, NodeId.BITS - 1)
        .flatMap(prefix -> Arbitraries.longs().map(seed -> anchor.randomWithCommonPrefix(prefix, new Random(seed))));
    return Arbitraries.frequencyOf(
        Tuple.of(4, uniform),
        Tuple.of(1, special),
        Tuple.of(1, Arbitraries.just(NodeId.zero())),
        Tuple.of(3, nearAnchor));
  }

  private static byte[] toBytes(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[NodeId.BYTES];
    int copy = Math.min(raw.length, NodeId.BYTES);
    System.arraycopy(raw, raw.length - copy, out, NodeId.BYTES - copy, copy);
    return out;
  }
}
