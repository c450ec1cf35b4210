package org.dialtone.resolver.number;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.dialtone.dht.id.Keys;
import org.dialtone.dht.id.NodeId;
import org.dialtone.resolver.number.InvalidNumberException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Examples: the exact messages, the categories, the key derivation. */
class DialNumberTest {
  static InvalidNumberException rejects(Reason reason, Executable call) {
    var e = assertThrows(InvalidNumberException.class, call);
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  static void rejects(String input, Reason reason, String message) {
    assertEquals(message, rejects(reason, () -> DialNumber.parse(input)).getMessage());
  }

  @Test
  void messagesSayWhatIsWrongAndWhere() {
    rejects("744-196884-1000", Reason.SHARD_RANGE, "744-196884-1000: shard 1000 is past the last shard, 999 "
        + "(shards 0..70 are the primary shards; 71..999 are the extended space, unnamed numbers anyone may use)");
    rejects("744-196884-07", Reason.LEADING_ZERO, "744-196884-07: shard '07' has a leading zero");
    rejects("744-196884-00", Reason.LEADING_ZERO, "744-196884-00: shard '00' has a leading zero");
    rejects("744-0196884-7", Reason.LEADING_ZERO, "744-0196884-7: coefficient '0196884' has a leading zero");
    rejects("0744-196884-7", Reason.LEADING_ZERO, "0744-196884-7: prefix '0744' has a leading zero");
    rejects("745-196884-1", Reason.PREFIX, "745-196884-1: must start with 744 (the j-invariant's constant term)");
    rejects("744-196885-1", Reason.UNKNOWN_COEFFICIENT,
        "744-196885-1: 196885 is not a coefficient of the j-invariant (196884, 21493760, 864299970, ...)");
    rejects("744-744-1", Reason.UNKNOWN_COEFFICIENT,
        "744-744-1: 744 is not a coefficient of the j-invariant (196884, 21493760, 864299970, ...)");
    rejects("744-0-1", Reason.UNKNOWN_COEFFICIENT,
        "744-0-1: 0 is not a coefficient of the j-invariant (196884, 21493760, 864299970, ...)");
    rejects("744-196884", Reason.GROUPS, "744-196884: expected three groups 744-<coefficient>-<shard>, got 2");
    rejects("744-196884--1", Reason.GROUPS, "744-196884--1: expected three groups 744-<coefficient>-<shard>, got 4");
    rejects("744--1", Reason.GROUPS, "744--1: the coefficient group is empty; expected 744-<coefficient>-<shard>");
    rejects("744-19a884-1", Reason.NOT_DIGITS, "744-19a884-1: coefficient '19a884' is not a decimal number");
    rejects("744-+196884-1", Reason.NOT_DIGITS, "744-+196884-1: coefficient '+196884' has a sign; groups are plain digits");
    rejects("744-196884-1 ", Reason.NOT_DIGITS, "744-196884-1 : whitespace at index 12; numbers are never trimmed");
    rejects(" 744-196884-1", Reason.NOT_DIGITS, " 744-196884-1: whitespace at index 0; numbers are never trimmed");
    rejects("744-196884-1\n", Reason.NOT_DIGITS,
        "744-196884-1\\u000a: whitespace at index 12; numbers are never trimmed");
    rejects("744-196884-\u0667", Reason.NOT_DIGITS, "744-196884-\\u0667: shard '\\u0667' is not a decimal number");
    rejects("", Reason.EMPTY, "empty number");
    String tooLong = "744-196884-" + "1".repeat(60);
    rejects(tooLong, Reason.TOO_LONG,
        "744-196884-1111111111111...: 71 characters, longer than any number or name (at most 64)");
  }

  @Test
  void unknownNamesSayWhatWouldHaveWorked() {
    var e = rejects(Reason.UNKNOWN_NAME, () -> DialNumber.resolve("foo"));
    assertEquals("'foo' is neither a number like 744-196884-23 nor a named number (Bootstrap, j-Invariant, ...)",
        e.getMessage());
    // Anything with a digit in it is taken for a number, and gets the number's precise error.
    assertEquals("744-196884-07: shard '07' has a leading zero",
        rejects(Reason.LEADING_ZERO, () -> DialNumber.resolve("744-196884-07")).getMessage());
    rejects(Reason.UNKNOWN_NAME, () -> DialNumber.resolve("general-chat"));
    rejects(Reason.UNKNOWN_NAME, () -> DialNumber.resolve(" Games"));
    rejects(Reason.EMPTY, () -> DialNumber.resolve(""));
    rejects(Reason.TOO_LONG, () -> DialNumber.resolve("x".repeat(DialNumber.MAX_LENGTH + 1)));
  }

  @Test
  void resolvesNumbersAndNames() {
    assertEquals(DialNumber.MOONSHINE, DialNumber.resolve("moonshine"));
    assertEquals(DialNumber.GENERAL_CHAT, DialNumber.resolve("General chat"));
    assertEquals(DialNumber.J_INVARIANT, DialNumber.resolve("j-invariant"));
    assertEquals(DialNumber.J_INVARIANT, DialNumber.resolve("J-INVARIANT"));
    assertEquals(DialNumber.primary(23), DialNumber.resolve("744-196884-23"));
    assertEquals(Optional.of("Moonshine"), DialNumber.parse("744-196884-70").name());
    assertEquals(Optional.empty(), DialNumber.parse("744-196884-71").name());
  }

  @Test
  void categories() {
    DialNumber bootstrap = DialNumber.parse("744-196884-0");
    assertEquals(DialNumber.BOOTSTRAP, bootstrap);
    assertTrue(bootstrap.isPrimary());
    assertTrue(DialNumber.primary(70).isPrimary());
    assertFalse(DialNumber.primary(70).isExtended());
    assertTrue(DialNumber.primary(71).isExtended());
    assertTrue(DialNumber.primary(999).isExtended());
    assertTrue(DialNumber.GAMES.isExtended());
    DialNumber alternative = DialNumber.parse("744-21493760-5");
    assertTrue(alternative.isAlternativeCoefficient());
    assertFalse(alternative.isPrimary());
    assertFalse(alternative.isExtended());
    assertEquals(2, alternative.coefficientIndex());
    assertEquals(new BigInteger("21493760"), alternative.coefficient());
    assertEquals(5, alternative.shard());
    assertEquals(1, bootstrap.coefficientIndex());
    assertEquals(DialNumber.PRIMARY_COEFFICIENT, JInvariant.coefficient(1));
  }

  @Test
  void ofValidatesLikeParse() {
    assertEquals(DialNumber.parse("744-864299970-999"), DialNumber.of(new BigInteger("864299970"), 999));
    assertEquals("744-196884-1000: shard 1000 is past the last shard, 999 "
        + "(shards 0..70 are the primary shards; 71..999 are the extended space, unnamed numbers anyone may use)",
        rejects(Reason.SHARD_RANGE, () -> DialNumber.primary(1000)).getMessage());
    assertEquals("744-196884--1: shard -1 is negative; shards are 0..999",
        rejects(Reason.SHARD_RANGE, () -> DialNumber.primary(-1)).getMessage());
    rejects(Reason.UNKNOWN_COEFFICIENT, () -> DialNumber.of(BigInteger.valueOf(-196884), 1));
    rejects(Reason.UNKNOWN_COEFFICIENT, () -> DialNumber.of(BigInteger.valueOf(744), 1));
    assertThrows(NullPointerException.class, () -> DialNumber.of(null, 1));
    assertThrows(NullPointerException.class, () -> DialNumber.parse(null));
    assertThrows(NullPointerException.class, () -> DialNumber.resolve(null));
  }

  @Test
  void theKeyIsTheHashOfTheDomainSeparatedCanonicalText() {
    DialNumber n = DialNumber.parse("744-196884-23");
    assertEquals(Keys.contentKey("number", "744-196884-23"), n.key());
    // Pinned: changing the key derivation moves every agent off its number.
    assertEquals(NodeId.ofHex("0184763f5a0de3fea470e759a9cd58125abd520d8a2e2f89fd774ae0382867e0"), n.key());
    assertNotEquals(n.key(), DialNumber.primary(24).key());
  }

  @Test
  void orderedByCoefficientThenShard() {
    var sorted = new TreeSet<>(List.of(DialNumber.parse("744-21493760-0"), DialNumber.primary(999),
        DialNumber.primary(5), DialNumber.primary(10), DialNumber.parse("744-196884-100")));
    assertEquals("[744-196884-5, 744-196884-10, 744-196884-100, 744-196884-999, 744-21493760-0]", sorted.toString());
  }

  @Test
  void theLongestNumberParses() {
    String longest = "744-" + JInvariant.coefficient(JInvariant.MAX_INDEX) + "-999";
    assertEquals(longest, DialNumber.parse(longest).toString());
    assertEquals(JInvariant.MAX_INDEX, DialNumber.parse(longest).coefficientIndex());
  }
}
