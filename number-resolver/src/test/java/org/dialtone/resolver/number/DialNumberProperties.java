package org.dialtone.resolver.number;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.dialtone.dht.id.Keys;
import org.dialtone.resolver.number.InvalidNumberException.Reason;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Round trips over the whole number space, and malformed numbers made by mutating valid ones: each mutation plants
 * exactly one defect, and the parser must name it. Whatever parses must be exactly the canonical text of what it
 * parsed to: nothing is ever "fixed".
 *
 * <p>Tries are kept low (300 for the single-defect properties, jqwik's 1000 for round trips and "nothing is ever
 * fixed") so the whole class runs in a few seconds on two shared cores.
 */
class DialNumberProperties {
  private static final BigInteger C101 = JInvariantTest.viaE6(JInvariant.MAX_INDEX + 1).get(JInvariant.MAX_INDEX + 2);

  // ---- valid numbers ----

  @Provide
  Arbitrary<DialNumber> numbers() {
    return Combinators.combine(Arbitraries.integers().between(1, JInvariant.MAX_INDEX),
            Arbitraries.integers().between(0, NumberGrammar.MAX_SHARD))
        .as((n, shard) -> DialNumber.of(JInvariant.coefficient(n), shard));
  }

  @Property
  void parseRoundTrips(@ForAll("numbers") DialNumber number) {
    String text = number.toString();
    DialNumber parsed = DialNumber.parse(text);
    assertEquals(number, parsed);
    assertEquals(number.hashCode(), parsed.hashCode());
    assertEquals(0, number.compareTo(parsed));
    assertEquals(text, parsed.toString());
    assertEquals("744-" + number.coefficient() + "-" + number.shard(), text);
    assertEquals(number, DialNumber.of(number.coefficient(), number.shard()));
    assertEquals(number, DialNumber.resolve(text));
    assertEquals(JInvariant.coefficient(number.coefficientIndex()), number.coefficient());
  }

  @Property(tries = 300)
  void keyIsStableAndDerivedFromTheCanonicalText(@ForAll("numbers") DialNumber number) {
    assertEquals(number.key(), DialNumber.parse(number.toString()).key());
    assertEquals(number.key(), number.key());
    assertEquals(Keys.contentKey("number", number.toString()), number.key());
  }

  @Property(tries = 300)
  void sameNumberSameTextSameKey(@ForAll("numbers") DialNumber a, @ForAll("numbers") DialNumber b) {
    assertEquals(a.equals(b), a.toString().equals(b.toString()));
    assertEquals(a.equals(b), a.key().equals(b.key()));
    assertEquals(a.equals(b), a.compareTo(b) == 0);
    assertEquals(Integer.signum(a.compareTo(b)), -Integer.signum(b.compareTo(a)));
  }

  @Property(tries = 300)
  void exactlyOneCategory(@ForAll("numbers") DialNumber number) {
    int categories = (number.isPrimary() ? 1 : 0) + (number.isExtended() ? 1 : 0)
        + (number.isAlternativeCoefficient() ? 1 : 0);
    assertEquals(1, categories);
    assertEquals(number.isPrimary(), number.coefficientIndex() == 1 && number.shard() <= 70);
  }

  @Property
  void namesResolveBothWays(@ForAll("numbers") DialNumber number) {
    number.name().ifPresent(name -> assertEquals(number, DialNumber.resolve(name)));
    assertEquals(number.name().isPresent(), NamedNumbers.all().containsValue(number));
  }

  @Provide
  Arbitrary<String> namesInAnyCase() {
    return Arbitraries.of(List.copyOf(NamedNumbers.all().keySet())).flatMap(name ->
        Arbitraries.integers().between(0, Integer.MAX_VALUE).map(mask -> {
          var out = new StringBuilder();
          for (int i = 0; i < name.length(); i++) {
            String c = name.substring(i, i + 1);
            out.append(((mask >> (i % 31)) & 1) == 1 ? c.toUpperCase(Locale.ROOT) : c.toLowerCase(Locale.ROOT));
          }
          return out.toString();
        }));
  }

  @Property
  void namesResolveInAnyCase(@ForAll("namesInAnyCase") String name) {
    DialNumber number = DialNumber.resolve(name);
    assertTrue(number.name().orElseThrow().equalsIgnoreCase(name));
    assertEquals(NamedNumbers.all().get(number.name().orElseThrow()), number);
  }

  // ---- one defect each ----

  static String[] groups(DialNumber n) {
    return new String[] {"744", n.coefficient().toString(), Integer.toString(n.shard())};
  }

  static String insert(String s, int at, String what) {
    return s.substring(0, at) + what + s.substring(at);
  }

  /** parse and resolve both refuse, for the expected reason, with a message that starts with the input. */
  static void rejected(String input, Reason reason) {
    for (var attempt : List.<Function<String, DialNumber>>of(DialNumber::parse, DialNumber::resolve)) {
      var e = assertThrows(InvalidNumberException.class, () -> attempt.apply(input), input);
      assertEquals(reason, e.reason(), e.getMessage());
      assertTrue(e.getMessage().startsWith(InvalidNumberException.echo(input) + ": "), e.getMessage());
    }
  }

  @Provide
  Arbitrary<String> withLeadingZeros() {
    return Combinators.combine(numbers(), Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 3))
        .as((n, g, zeros) -> {
          String[] groups = groups(n);
          groups[g] = "0".repeat(zeros) + groups[g];
          return String.join("-", groups);
        });
  }

  @Property(tries = 300)
  void leadingZerosAreRefused(@ForAll("withLeadingZeros") String input) {
    rejected(input, Reason.LEADING_ZERO);
  }

  @Provide
  Arbitrary<String> withNonDigit() {
    Arbitrary<Character> odd = Arbitraries.oneOf(
            Arbitraries.chars().all(),
            Arbitraries.chars().ascii(),
            Arbitraries.of('+', 'a', 'O', 'l', 'x', 'e', '.', ',', '_', '/', '\u0663', '\u0967', '\uff11', '\u00b9',
                '\u2212', '\u2010', '\u2013', '\u0000', '\u0085', '\ufeff', '\u200b', '\ud83d'))
        .filter(c -> (c < '0' || c > '9') && c != '-' && !NumberGrammar.isWhitespace(c));
    return numbers().flatMap(n -> {
      String s = n.toString();
      return Combinators.combine(odd, Arbitraries.integers().between(0, s.length()))
          .as((c, at) -> insert(s, at, String.valueOf(c)));
    });
  }

  @Property(tries = 300)
  void nonDigitsAreRefused(@ForAll("withNonDigit") String input) {
    rejected(input, Reason.NOT_DIGITS);
  }

  @Provide
  Arbitrary<String> withWhitespace() {
    Arbitrary<Character> space = Arbitraries.of(' ', '\t', '\n', '\r', '\u000b', '\f', '\u001c', '\u00a0', '\u1680',
        '\u2000', '\u2007', '\u2009', '\u202f', '\u205f', '\u3000', '\u2028', '\u2029');
    return numbers().flatMap(n -> {
      String s = n.toString();
      return Combinators.combine(space, Arbitraries.integers().between(0, s.length()))
          .as((c, at) -> insert(s, at, String.valueOf(c)));
    });
  }

  @Property(tries = 300)
  void whitespaceIsRefusedNotTrimmed(@ForAll("withWhitespace") String input) {
    rejected(input, Reason.NOT_DIGITS);
  }

  @Provide
  Arbitrary<String> wrongGroupCount() {
    Arbitrary<String> group = Arbitraries.oneOf(Arbitraries.of("744", "196884", "21493760", "0", "1", "999"),
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(6));
    return Arbitraries.of(1, 2, 4, 5, 6).flatMap(k -> group.list().ofSize(k)).map(l -> String.join("-", l));
  }

  @Property(tries = 300)
  void wrongGroupCountsAreRefused(@ForAll("wrongGroupCount") String input) {
    rejected(input, Reason.GROUPS);
  }

  @Provide
  Arbitrary<String> withMinusInserted() {
    // Also a minus sign in front of any group, which makes an empty group or a fourth one.
    return numbers().flatMap(n -> {
      String s = n.toString();
      return Arbitraries.integers().between(0, s.length()).map(at -> insert(s, at, "-"));
    });
  }

  @Property(tries = 300)
  void minusSignsAndExtraSeparatorsAreRefused(@ForAll("withMinusInserted") String input) {
    rejected(input, Reason.GROUPS);
  }

  @Provide
  Arbitrary<String> withEmptyGroup() {
    return Combinators.combine(numbers(), Arbitraries.integers().between(0, 2)).as((n, g) -> {
      String[] groups = groups(n);
      groups[g] = "";
      return String.join("-", groups);
    });
  }

  @Property(tries = 300)
  void emptyGroupsAreRefused(@ForAll("withEmptyGroup") String input) {
    rejected(input, Reason.GROUPS);
  }

  @Provide
  Arbitrary<String> withOtherPrefix() {
    Arbitrary<String> prefix = Arbitraries.oneOf(
            Arbitraries.integers().between(0, 10_000_000).map(String::valueOf),
            Arbitraries.of("1", "74", "743", "745", "7440", "1744", "196884"))
        .filter(p -> !p.equals("744"));
    return Combinators.combine(prefix, numbers()).as((p, n) -> p + "-" + n.coefficient() + "-" + n.shard())
        .filter(s -> s.length() <= DialNumber.MAX_LENGTH);
  }

  @Property(tries = 300)
  void otherPrefixesAreRefused(@ForAll("withOtherPrefix") String input) {
    rejected(input, Reason.PREFIX);
  }

  @Provide
  Arbitrary<String> withUnknownCoefficient() {
    Arbitrary<BigInteger> notCoefficient = Arbitraries.oneOf(
            Combinators.combine(Arbitraries.integers().between(1, JInvariant.MAX_INDEX),
                    Arbitraries.integers().between(-1000, 1000))
                .as((n, d) -> JInvariant.coefficient(n).add(BigInteger.valueOf(d))),
            Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(56).subtract(BigInteger.ONE)),
            Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(744), C101))
        .filter(c -> JInvariant.indexOf(c).isEmpty());
    return Combinators.combine(notCoefficient, Arbitraries.integers().between(0, NumberGrammar.MAX_SHARD))
        .as((c, shard) -> "744-" + c + "-" + shard);
  }

  @Property(tries = 300)
  void unknownCoefficientsAreRefused(@ForAll("withUnknownCoefficient") String input) {
    rejected(input, Reason.UNKNOWN_COEFFICIENT);
  }

  @Provide
  Arbitrary<String> withShardPastTheEnd() {
    return numbers().flatMap(n -> {
      String head = "744-" + n.coefficient() + "-";
      int room = Math.min(DialNumber.MAX_LENGTH - head.length(), 25);
      return Arbitraries.bigIntegers().between(BigInteger.valueOf(1000), BigInteger.TEN.pow(room).subtract(BigInteger.ONE))
          .map(shard -> head + shard);
    });
  }

  @Property(tries = 300)
  void shardsPastTheEndAreRefused(@ForAll("withShardPastTheEnd") String input) {
    rejected(input, Reason.SHARD_RANGE);
  }

  @Provide
  Arbitrary<String> tooLong() {
    return Arbitraries.oneOf(
        numbers().flatMap(n -> Arbitraries.strings().all()
            .ofMinLength(DialNumber.MAX_LENGTH + 1 - n.toString().length()).ofMaxLength(300)
            .map(padding -> n + padding)),
        numbers().map(n -> (n + "-").repeat(DialNumber.MAX_LENGTH)),
        Arbitraries.strings().withChars("0123456789-").ofMinLength(DialNumber.MAX_LENGTH + 1).ofMaxLength(200),
        Arbitraries.strings().all().ofMinLength(DialNumber.MAX_LENGTH + 1).ofMaxLength(500));
  }

  @Property(tries = 300)
  void tooLongIsRefusedUnread(@ForAll("tooLong") String input) {
    var e = assertThrows(InvalidNumberException.class, () -> DialNumber.parse(input));
    assertEquals(Reason.TOO_LONG, e.reason());
    assertTrue(e.getMessage().length() < 256, e.getMessage());
    assertEquals(Reason.TOO_LONG, assertThrows(InvalidNumberException.class, () -> DialNumber.resolve(input)).reason());
  }

  // ---- anything at all ----

  @Provide
  Arbitrary<String> anyText() {
    Arbitrary<String> edited = numbers().flatMap(n -> {
      String s = n.toString();
      return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, s.length() - 1),
              Arbitraries.of('0', '1', '7', '9', '-', '+', ' ', 'a', '\u0663'))
          .as((op, at, c) -> switch (op) {
            case 0 -> insert(s, at, String.valueOf(c));
            case 1 -> s.substring(0, at) + s.substring(at + 1);
            default -> s.substring(0, at) + c + s.substring(at + 1);
          });
    });
    return Arbitraries.oneOf(edited,
        Arbitraries.strings().withChars("0123456789-+ 744").ofMaxLength(70),
        Arbitraries.strings().all().ofMaxLength(100),
        namesInAnyCase().map(name -> name.replace(' ', '-')));
  }

  @Property
  void nothingIsEverFixed(@ForAll("anyText") String input) {
    try {
      assertEquals(input, DialNumber.parse(input).toString());
    } catch (InvalidNumberException e) {
      assertTrue(e.getMessage().length() < 600, e.getMessage());
    }
    try {
      DialNumber resolved = DialNumber.resolve(input);
      assertTrue(resolved.toString().equals(input) || resolved.name().orElseThrow().equalsIgnoreCase(input), input);
    } catch (InvalidNumberException e) {
      assertTrue(e.getMessage().length() < 600, e.getMessage());
    }
  }
}
