package org.dialtone.resolver.number;

import java.util.Objects;

/**
 * A number (or a name) that is not one. The message starts with the offending input, then says what is wrong and
 * where, for example {@code 744-196884-07: shard '07' has a leading zero}; {@link #reason()} is a stable code for
 * callers (an HTTP layer maps it to a status and an error code).
 *
 * <p>The input is echoed safely: characters outside printable ASCII appear as {@code \}{@code uXXXX} escapes, so a
 * message never carries a raw newline or control character into a log, and over-long input is cut short.
 */
public final class InvalidNumberException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** How much of an over-long input a message repeats. */
  static final int ECHO_LIMIT = 24;

  /** What is wrong, as a stable code. */
  public enum Reason {
    /** The input is the empty string. */
    EMPTY,
    /** Not three non-empty groups separated by '-'. */
    GROUPS,
    /** A group has something other than the ASCII digits 0-9: letters, signs, whitespace, other scripts' digits. */
    NOT_DIGITS,
    /** A group other than a lone shard "0" starts with '0'. */
    LEADING_ZERO,
    /** The first group is not 744. */
    PREFIX,
    /** The middle group is not a j-invariant coefficient c(n), 1 &le; n &le; {@value JInvariant#MAX_INDEX}. */
    UNKNOWN_COEFFICIENT,
    /** The shard is outside 0..999. */
    SHARD_RANGE,
    /** Longer than any number or name can be; refused before anything else is looked at. */
    TOO_LONG,
    /** Not a number, and not one of the named numbers either. */
    UNKNOWN_NAME
  }

  private final Reason reason;

  private InvalidNumberException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason);
  }

  /** What is wrong. */
  public Reason reason() {
    return reason;
  }

  /** {@code "<input>: <detail>"}, with the input echoed safely. */
  static InvalidNumberException of(Reason reason, String input, String detail) {
    return new InvalidNumberException(reason, echo(input) + ": " + detail);
  }

  static InvalidNumberException empty() {
    return new InvalidNumberException(Reason.EMPTY, "empty number");
  }

  static InvalidNumberException tooLong(String input, int maxLength) {
    return of(Reason.TOO_LONG, input,
        input.length() + " characters, longer than any number or name (at most " + maxLength + ")");
  }

  static InvalidNumberException unknownName(String input) {
    return new InvalidNumberException(Reason.UNKNOWN_NAME, "'" + echo(input)
        + "' is neither a number like 744-196884-23 nor a named number (Bootstrap, j-Invariant, ...)");
  }

  /** The input as a message shows it: printable ASCII as is, anything else escaped, cut after a few characters. */
  static String echo(String input) {
    boolean cut = input.length() > DialNumber.MAX_LENGTH;
    String shown = cut ? input.substring(0, ECHO_LIMIT) : input;
    var out = new StringBuilder(shown.length() + 8);
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return cut ? out.append("...").toString() : out.toString();
  }
}
