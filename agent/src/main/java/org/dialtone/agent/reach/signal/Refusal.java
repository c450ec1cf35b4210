package org.dialtone.agent.reach.signal;

import java.util.Optional;

/** An answer's verdict: {@link #NONE} for an accepted request, else why the host refused. */
public enum Refusal {
  /** Accepted (and the code of every REQUEST and SYNC). */
  NONE(0),
  /** The host is at its connection limit. */
  BUSY(1),
  /** The host does not host what was asked for, or no longer. */
  NOT_HOSTING(2),
  /** The host does not speak the transport asked for. */
  UNSUPPORTED_TRANSPORT(3),
  /** Both sides have RANDOM NATs: no punch can work; use a relay. */
  DOUBLE_RANDOMIZED_NATS(4);

  private final int code;

  Refusal(int code) {
    this.code = code;
  }

  /** The wire byte. */
  public int code() {
    return code;
  }

  /** The refusal with this wire byte. */
  public static Optional<Refusal> ofCode(int code) {
    for (Refusal r : values()) {
      if (r.code == code) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
