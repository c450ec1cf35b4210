package org.dialtone.resolver.number;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dialtone.resolver.number.InvalidNumberException.Reason;

/**
 * The strict parser behind {@link DialNumber#parse}. Checks run in a fixed order, so one defect always gets the same
 * reason: length, emptiness, whitespace, the group structure, then each group left to right (digits, leading zero,
 * value). The input is only ever read, never trimmed, padded or otherwise repaired.
 */
final class NumberGrammar {
  static final String PREFIX = "744";
  static final int MAX_SHARD = 999;

  private NumberGrammar() {}

  static DialNumber parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() > DialNumber.MAX_LENGTH) {
      throw InvalidNumberException.tooLong(text, DialNumber.MAX_LENGTH);
    }
    if (text.isEmpty()) {
      throw InvalidNumberException.empty();
    }
    for (int i = 0; i < text.length(); i++) {
      if (isWhitespace(text.charAt(i))) {
        throw InvalidNumberException.of(Reason.NOT_DIGITS, text,
            "whitespace at index " + i + "; numbers are never trimmed");
      }
    }
    List<String> groups = split(text);
    if (groups.size() != 3) {
      throw InvalidNumberException.of(Reason.GROUPS, text,
          "expected three groups 744-<coefficient>-<shard>, got " + groups.size());
    }
    String[] names = {"prefix", "coefficient", "shard"};
    for (int g = 0; g < 3; g++) {
      if (groups.get(g).isEmpty()) {
        throw InvalidNumberException.of(Reason.GROUPS, text,
            "the " + names[g] + " group is empty; expected 744-<coefficient>-<shard>");
      }
    }

    String prefix = groups.get(0);
    checkDigits(text, "prefix", prefix);
    if (!prefix.equals(PREFIX)) {
      throw InvalidNumberException.of(Reason.PREFIX, text, "must start with 744 (the j-invariant's constant term)");
    }

    String coefficientText = groups.get(1);
    checkDigits(text, "coefficient", coefficientText);
    BigInteger coefficient = new BigInteger(coefficientText);
    int index = coefficientIndex(text, coefficient);

    String shardText = groups.get(2);
    checkDigits(text, "shard", shardText);
    if (shardText.length() > 3) {
      throw shardPastEnd(text, shardText);
    }
    int shard = Integer.parseInt(shardText);
    checkShard(text, shard);
    return new DialNumber(coefficient, index, shard);
  }

  /** The index n of a coefficient c(n), 1 &le; n &le; {@value JInvariant#MAX_INDEX}, or UNKNOWN_COEFFICIENT. */
  static int coefficientIndex(String input, BigInteger coefficient) {
    var index = JInvariant.indexOf(coefficient);
    if (index.isEmpty()) {
      throw InvalidNumberException.of(Reason.UNKNOWN_COEFFICIENT, input,
          coefficient + " is not a coefficient of the j-invariant (196884, 21493760, 864299970, ...)");
    }
    return index.getAsInt();
  }

  static void checkShard(String input, int shard) {
    if (shard < 0) {
      throw InvalidNumberException.of(Reason.SHARD_RANGE, input,
          "shard " + shard + " is negative; shards are 0.." + MAX_SHARD);
    }
    if (shard > MAX_SHARD) {
      throw shardPastEnd(input, Integer.toString(shard));
    }
  }

  private static InvalidNumberException shardPastEnd(String input, String shard) {
    return InvalidNumberException.of(Reason.SHARD_RANGE, input,
        "shard " + shard + " is past the last shard, " + MAX_SHARD + " (shards 0..70 are the primary shards; 71.."
            + MAX_SHARD + " are the extended space, unnamed numbers anyone may use)");
  }

  /** ASCII digits only, no sign, and no leading zero unless the group is a lone "0". */
  private static void checkDigits(String input, String name, String group) {
    if (group.charAt(0) == '+') {
      throw InvalidNumberException.of(Reason.NOT_DIGITS, input,
          name + " '" + InvalidNumberException.echo(group) + "' has a sign; groups are plain digits");
    }
    for (int i = 0; i < group.length(); i++) {
      char c = group.charAt(i);
      if (c < '0' || c > '9') {
        throw InvalidNumberException.of(Reason.NOT_DIGITS, input,
            name + " '" + InvalidNumberException.echo(group) + "' is not a decimal number");
      }
    }
    if (group.length() > 1 && group.charAt(0) == '0') {
      throw InvalidNumberException.of(Reason.LEADING_ZERO, input, name + " '" + group + "' has a leading zero");
    }
  }

  /** Splits on every '-', keeping empty groups (unlike {@link String#split(String)} with its default limit). */
  private static List<String> split(String text) {
    var groups = new ArrayList<String>(3);
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '-') {
        groups.add(text.substring(start, i));
        start = i + 1;
      }
    }
    groups.add(text.substring(start));
    return groups;
  }

  /** Java's whitespace plus Unicode space separators such as the no-break space U+00A0. */
  static boolean isWhitespace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }
}
