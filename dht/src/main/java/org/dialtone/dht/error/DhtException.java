package org.dialtone.dht.error;

import java.util.Objects;

/**
 * The one exception the DHT's futures fail with. Callers switch on {@link #code()}, which is stable; the message is
 * for people.
 */
public class DhtException extends DialtoneException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** An exception with a code and a message. */
  public DhtException(ErrorCode code, String message) {
    super(Objects.requireNonNull(code, "code"), message);
    this.code = code;
  }

  /** An exception with a code, a message and a cause. */
  public DhtException(ErrorCode code, String message, Throwable cause) {
    super(Objects.requireNonNull(code, "code"), message, cause);
    this.code = code;
  }

  /** The stable code. */
  @Override
  public ErrorCode code() {
    return code;
  }
}
