package org.dialtone.agent.reach.punch;

/** Why a punch ended without a path. Stable codes for metrics, logs and the CLI. */
public enum AbortCode {
  /** Both NATs map randomly: no punch works; relay (hyperdht's HOLEPUNCH_DOUBLE_RANDOMIZED_NATS). */
  DOUBLE_RANDOMIZED_NATS,
  /** Our NAT type or the remote's is not known yet: relay, or sample more and try again. */
  NAT_UNKNOWN,
  /** The remote gave no address to probe. */
  NO_REMOTE_ADDRESS,
  /**
   * A random-port or birthday punch needs a remote host that a node observed, not one the remote claimed: we would
   * otherwise spray probes wherever a liar points us.
   */
  REMOTE_ADDRESS_UNVERIFIED,
  /** A random-port or birthday punch towards the same remote host runs already (one at a time per host). */
  REMOTE_HOST_BUSY,
  /**
   * This agent's budget for random-port and birthday punches is spent for now ({@link PunchGuard}: so many at once,
   * so many probes a minute), so repeated reconnects cannot turn punching into a stream of probes.
   */
  PROBE_BUDGET,
  /** Every probe in the budget was sent and none came back. */
  PROBES_EXHAUSTED,
  /** The punch's deadline passed. */
  DEADLINE,
  /** Not a single extra socket could be opened for birthday probing. */
  NO_SOCKETS,
  /** The owner called it off (the other path won, or the connect was cancelled). */
  CANCELLED
}
