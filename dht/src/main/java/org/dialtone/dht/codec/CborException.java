package org.dialtone.dht.codec;

import java.util.Objects;

/**
 * The input is not in the CBOR subset the protocol speaks; {@link #rule()} names the rule it broke and
 * {@link #offset()} the byte where the offending item starts.
 *
 * <p>Expected on a public UDP port (garbage, probes, other protocols), so it records no stack trace.
 */
public final class CborException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The rules of the subset, each of which an input can break. */
  public enum Rule {
    /** The input ends inside an item, or a length claims more bytes or items than the input has left. */
    TRUNCATED,
    /** Bytes follow the one top-level item. */
    TRAILING_BYTES,
    /** Not well-formed CBOR at all: a reserved additional-information value (28..30), or a stray "break". */
    NOT_WELL_FORMED,
    /** An indefinite-length string, array or map: the subset has definite lengths only. */
    INDEFINITE_LENGTH,
    /** An integer, length or count written with more bytes than its value needs (RFC 8949 preferred encoding). */
    NOT_SHORTEST,
    /** A tag (major type 6): the subset has none. */
    TAG,
    /** A floating-point number: the subset has none. */
    FLOAT,
    /** A simple value other than {@code true} and {@code false} ({@code null}, {@code undefined}, unassigned). */
    SIMPLE_VALUE,
    /** A map key that is not an integer: every map of the protocol has integer keys. */
    KEY_NOT_INTEGER,
    /** The same key twice in one map. */
    DUPLICATE_KEY,
    /** Map keys not in ascending order (RFC 8949 section 4.2.1: bytewise order of their encodings). */
    KEYS_OUT_OF_ORDER,
    /** Arrays and maps nested deeper than the reader allows. */
    TOO_DEEP,
    /** A text string that is not valid UTF-8 (overlong forms, encoded surrogates, code points over U+10FFFF). */
    INVALID_UTF8
  }

  private final Rule rule;
  private final int offset;

  /** An exception for {@code rule} broken by the item starting at byte {@code offset}. */
  public CborException(Rule rule, int offset, String message) {
    super(message + " at byte " + offset, null, false, false);
    this.rule = Objects.requireNonNull(rule, "rule");
    this.offset = offset;
  }

  /** The rule the input broke. */
  public Rule rule() {
    return rule;
  }

  /** The offset in the input of the item that broke it. */
  public int offset() {
    return offset;
  }

  @Override
  public String toString() {
    return "CborException[" + rule + "]: " + getMessage();
  }
}
