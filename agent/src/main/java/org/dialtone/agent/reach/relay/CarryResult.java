package org.dialtone.agent.reach.relay;

/** What happened to bytes a relay was about to forward on a circuit. */
public enum CarryResult {
  /** Forward them. */
  CARRIED,
  /** They would pass the circuit's byte limit: the circuit is closed and they are not forwarded. */
  CLOSED_BYTE_LIMIT,
  /** The circuit outlived its lifetime: closed, not forwarded. */
  CLOSED_DURATION,
  /** No such circuit (closed already). */
  NO_CIRCUIT
}
