package org.dialtone.resolver.number;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import org.dialtone.dht.id.Keys;
import org.dialtone.dht.id.NodeId;

/**
 * A Dialtone number, {@code 744-<coefficient>-<shard>}: the place agents meet. The coefficient is a j-invariant
 * coefficient c(n), 1 &le; n &le; {@value JInvariant#MAX_INDEX}; the shard is 0..999. On the primary coefficient
 * 196884, shards 0..70 are the primary shards and 71..999 the extended space; other coefficients are alternative
 * coefficients.
 *
 * <p>Immutable. Equal numbers have equal canonical text ({@link #toString()}) and equal DHT keys ({@link #key()}), and
 * {@link #parse} accepts only canonical text, so two agents that agree on a number string agree on the key.
 * Ordered by coefficient, then shard.
 */
public final class DialNumber implements Comparable<DialNumber> {
  /**
   * The longest input {@link #parse} and {@link #resolve} look at; anything longer is refused unread. The longest
   * valid number, on c(100) (53 digits) with a three-digit shard, is 61 characters.
   */
  public static final int MAX_LENGTH = 64;

  /** The primary coefficient c(1) = 196884. */
  public static final BigInteger PRIMARY_COEFFICIENT = BigInteger.valueOf(196884);

  /** Shards 0..{@value} of the primary coefficient are the primary shards; above them is the extended space. */
  public static final int LAST_PRIMARY_SHARD = 70;

  public static final DialNumber BOOTSTRAP = primary(0);
  public static final DialNumber J_INVARIANT = primary(1);
  public static final DialNumber HAYSTACK = primary(2);
  public static final DialNumber TIKKUN = primary(3);
  public static final DialNumber MOONSHINE = primary(70);
  public static final DialNumber GENERAL_CHAT = primary(100);
  public static final DialNumber FILE_EXCHANGE = primary(200);
  public static final DialNumber GAMES = primary(300);

  private final BigInteger coefficient;
  private final int coefficientIndex;
  private final int shard;

  /** Only for already validated parts. */
  DialNumber(BigInteger coefficient, int coefficientIndex, int shard) {
    this.coefficient = coefficient;
    this.coefficientIndex = coefficientIndex;
    this.shard = shard;
  }

  /**
   * Parses the canonical form {@code 744-<coefficient>-<shard>} strictly: ASCII digits only, no leading zeros (a lone
   * shard {@code 0} is fine), no whitespace anywhere (nothing is trimmed), no signs, at most {@value #MAX_LENGTH}
   * characters. Never repairs its input: what parses is exactly {@link #toString()} of the result.
   *
   * @throws InvalidNumberException saying what is wrong and where
   */
  public static DialNumber parse(String text) {
    return NumberGrammar.parse(text);
  }

  /**
   * A number on the primary coefficient 196884: shard 0..70 is a primary shard, 71..999 the extended space.
   *
   * @throws InvalidNumberException (SHARD_RANGE) if the shard is outside 0..999
   */
  public static DialNumber primary(int shard) {
    return of(PRIMARY_COEFFICIENT, shard);
  }

  /**
   * The number {@code 744-<coefficient>-<shard>}, validated as {@link #parse} would.
   *
   * @throws InvalidNumberException (UNKNOWN_COEFFICIENT or SHARD_RANGE)
   */
  public static DialNumber of(BigInteger coefficient, int shard) {
    Objects.requireNonNull(coefficient, "coefficient");
    String text = NumberGrammar.PREFIX + "-" + coefficient + "-" + shard;
    int index = NumberGrammar.coefficientIndex(text, coefficient);
    NumberGrammar.checkShard(text, shard);
    return new DialNumber(coefficient, index, shard);
  }

  /**
   * A number, or the name of a named number (case-insensitive, ASCII only: "moonshine", "General chat",
   * "J-INVARIANT"). Input with an ASCII digit in it is taken to be a number and gets {@link #parse}'s precise
   * errors; anything else that is not a name is UNKNOWN_NAME.
   *
   * @throws InvalidNumberException if it is neither
   */
  public static DialNumber resolve(String numberOrName) {
    Objects.requireNonNull(numberOrName, "numberOrName");
    if (numberOrName.length() > MAX_LENGTH) {
      throw InvalidNumberException.tooLong(numberOrName, MAX_LENGTH);
    }
    if (numberOrName.isEmpty()) {
      throw InvalidNumberException.empty();
    }
    var named = NamedNumbers.byName(numberOrName);
    if (named.isPresent()) {
      return named.get();
    }
    for (int i = 0; i < numberOrName.length(); i++) {
      char c = numberOrName.charAt(i);
      if (c >= '0' && c <= '9') {
        return parse(numberOrName);
      }
    }
    throw InvalidNumberException.unknownName(numberOrName);
  }

  /** The coefficient c(n), for example 196884. */
  public BigInteger coefficient() {
    return coefficient;
  }

  /** n, with c(n) = {@link #coefficient()}; 1 for the primary coefficient 196884. */
  public int coefficientIndex() {
    return coefficientIndex;
  }

  /** 0..999. */
  public int shard() {
    return shard;
  }

  /** On the primary coefficient, shard 0..70. */
  public boolean isPrimary() {
    return coefficientIndex == 1 && shard <= LAST_PRIMARY_SHARD;
  }

  /** On the primary coefficient, shard 71..999. */
  public boolean isExtended() {
    return coefficientIndex == 1 && shard > LAST_PRIMARY_SHARD;
  }

  /** On a coefficient other than 196884. */
  public boolean isAlternativeCoefficient() {
    return coefficientIndex != 1;
  }

  /** The name, if this is a named number ("Bootstrap", "Moonshine", "General chat", ...). */
  public Optional<String> name() {
    return NamedNumbers.nameOf(this);
  }

  /** The DHT key: SHA-256 of {@code number:<canonical text>}. */
  public NodeId key() {
    return Keys.contentKey("number", toString());
  }

  /** The canonical text, {@code 744-<coefficient>-<shard>}, the only form {@link #parse} accepts. */
  @Override
  public String toString() {
    return NumberGrammar.PREFIX + "-" + coefficient + "-" + shard;
  }

  @Override
  public int compareTo(DialNumber other) {
    // c(n) grows with n for n >= 1, so ordering by index is ordering by coefficient.
    int byCoefficient = Integer.compare(coefficientIndex, other.coefficientIndex);
    return byCoefficient != 0 ? byCoefficient : Integer.compare(shard, other.shard);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DialNumber other && coefficient.equals(other.coefficient) && shard == other.shard;
  }

  @Override
  public int hashCode() {
    return 31 * coefficient.hashCode() + shard;
  }
}
