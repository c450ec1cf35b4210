package org.dialtone.agent.reach.relay;

/** A reservation-socket message that does not parse; the relay closes that socket and counts it. */
public final class RelayWireException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With what is wrong. */
  public RelayWireException(String message) {
    super(message);
  }
}
