package org.dialtone.node.stun;

/** A datagram that is not a STUN message we accept; {@link #reason()} names what is wrong. */
public final class StunException extends Exception {
  /** What was wrong with the datagram. */
  public enum Reason {
    /** Shorter than a STUN header, or its length field disagrees with the datagram. */
    TRUNCATED,
    /** The first two bits are not zero, or the magic cookie is wrong: not STUN (RFC 8489 section 5). */
    NOT_STUN,
    /** A STUN message, but not a Binding request. */
    NOT_BINDING_REQUEST,
    /** An attribute runs past the end, or the FINGERPRINT is wrong or not last. */
    BAD_ATTRIBUTE
  }

  private final Reason reason;

  StunException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** What was wrong. */
  public Reason reason() {
    return reason;
  }
}
