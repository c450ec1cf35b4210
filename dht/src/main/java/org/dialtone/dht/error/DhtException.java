package org.dialtone.dht.error;

import java.util.Objects;

/**
 * The one exception the DHT's futures fail with. Callers switch on {@link #code()}, which is stable; the message is
 * for people.
 */
public class DhtException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** An exception with a code and a message. */
  public DhtException(ErrorCode code, String message) {
    super(code + ": " + message);
    this.code = Objects.requireNonNull(code);
  }

  /** An exception with a code, a message and a cause. */
  public DhtException(ErrorCode code, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = Objects.requireNonNull(code);
  }

  /** The stable code. */
  public ErrorCode code() {
    return code;
  }
}
