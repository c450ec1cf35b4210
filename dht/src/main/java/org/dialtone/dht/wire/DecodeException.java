package org.dialtone.dht.wire;

import java.util.Objects;
import java.util.Optional;
import org.dialtone.dht.codec.CborException;
import org.dialtone.dht.error.ErrorCode;

/**
 * A datagram or a stored record could not be decoded. The {@link #reason()} says what kind of problem it was; the
 * message says exactly what is wrong and where (for example {@code field 6 (target): expected 32 bytes, got 31}).
 *
 * <p>Decoding failures are expected on a public UDP port (garbage, probes, other protocols), so this exception does not
 * record a stack trace: it costs little more than an ordinary object to create.
 */
public final class DecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What kind of problem made the input undecodable. */
  public enum Reason {
    /** The input is larger than {@link Message#MAX_DATAGRAM_BYTES}; it was not parsed at all. */
    TOO_LARGE,
    /**
     * The input is not one CBOR map of the expected shape in the protocol's CBOR subset: bad CBOR, truncated,
     * trailing bytes, an item outside the subset (indefinite length, an integer not in its shortest form, a tag, a
     * float, {@code null}...), a map key that is not an integer, keys duplicated or out of ascending order, nesting too
     * deep, invalid UTF-8. {@link #violation()} names the CBOR rule when one was broken.
     */
    MALFORMED,
    /** The version field (key 0) is not {@value Message#VERSION}. */
    UNSUPPORTED_VERSION,
    /** The type field (key 1) names no message type of this version. */
    UNKNOWN_TYPE,
    /** A field the message type requires is absent. */
    MISSING_FIELD,
    /** A field is present but has the wrong CBOR type, the wrong length or a value out of range. */
    BAD_FIELD
  }

  private final Reason reason;

  /** An exception for {@code reason}, with a message that says what is wrong. */
  public DecodeException(Reason reason, String message) {
    this(reason, message, null);
  }

  /** An exception for {@code reason}, with a message that says what is wrong and the failure that revealed it. */
  public DecodeException(Reason reason, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** What kind of problem it was. */
  public Reason reason() {
    return reason;
  }

  /**
   * The code to answer with in an ERROR reply, when answering at all: {@link ErrorCode#UNSUPPORTED_VERSION} for a
   * version this node does not speak, {@link ErrorCode#MALFORMED} for everything else.
   */
  public ErrorCode errorCode() {
    return reason == Reason.UNSUPPORTED_VERSION ? ErrorCode.UNSUPPORTED_VERSION : ErrorCode.MALFORMED;
  }

  /** The rule of the protocol's CBOR subset the input broke, when that is what made it {@link Reason#MALFORMED}. */
  public Optional<CborException.Rule> violation() {
    return getCause() instanceof CborException e ? Optional.of(e.rule()) : Optional.empty();
  }

  @Override
  public String toString() {
    return "DecodeException[" + reason + "]: " + getMessage();
  }
}
