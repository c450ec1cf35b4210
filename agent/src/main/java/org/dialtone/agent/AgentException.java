package org.dialtone.agent;

import java.util.Objects;

/** What the agent's futures fail with. Switch on {@link #code()}; the message is for people. */
public class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final AgentError code;

  /** An exception with a code and a message. */
  public AgentException(AgentError code, String message) {
    super(code + ": " + message);
    this.code = Objects.requireNonNull(code);
  }

  /** An exception with a code, a message and a cause. */
  public AgentException(AgentError code, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = Objects.requireNonNull(code);
  }

  /** The stable code. */
  public AgentError code() {
    return code;
  }
}
