package org.dialtone.agent.error;

import java.util.Objects;
import org.dialtone.dht.error.DialtoneException;

/** What the agent's futures fail with. Switch on {@link #code()}; the message is for people. */
public class AgentException extends DialtoneException {
  private static final long serialVersionUID = 1L;

  private final AgentError code;

  /** An exception with a code and a message. */
  public AgentException(AgentError code, String message) {
    super(Objects.requireNonNull(code, "code"), message);
    this.code = code;
  }

  /** An exception with a code, a message and a cause. */
  public AgentException(AgentError code, String message, Throwable cause) {
    super(Objects.requireNonNull(code, "code"), message, cause);
    this.code = code;
  }

  /** The stable code. */
  @Override
  public AgentError code() {
    return code;
  }
}
