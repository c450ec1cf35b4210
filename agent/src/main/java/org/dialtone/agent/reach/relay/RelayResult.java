package org.dialtone.agent.reach.relay;

import java.util.Objects;

/** The answer to a reservation or circuit request: granted, or refused with a reason. */
public sealed interface RelayResult<T> {
  /** Granted. */
  record Granted<T>(T value) implements RelayResult<T> {
    /** Validates. */
    public Granted {
      Objects.requireNonNull(value, "value must not be null");
    }
  }

  /** Refused, with why. */
  record Refused<T>(RelayRefusal reason) implements RelayResult<T> {
    /** Validates. */
    public Refused {
      Objects.requireNonNull(reason, "reason must not be null");
    }
  }
}
