package org.dialtone.agent.reach.signal;

import java.util.Objects;

/** A refused signal, with a stable {@link SignalError} code. */
public final class SignalException extends Exception {
  private static final long serialVersionUID = 1L;
  private final SignalError error;

  /** A refusal with {@code error} and a message saying what was wrong. */
  public SignalException(SignalError error, String message) {
    super(error + ": " + message);
    this.error = Objects.requireNonNull(error, "error must not be null");
  }

  /** The stable code. */
  public SignalError error() {
    return error;
  }
}
