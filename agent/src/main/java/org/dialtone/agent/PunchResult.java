package org.dialtone.agent;

import org.dialtone.agent.reach.nat.NatType;

/**
 * How an attempt to move a relayed connection to a punched path ended.
 *
 * @param connection the connection to use: the punched one, or the relayed one it started from
 * @param ourNat our NAT as the STUN answers classified it
 * @param theirNat the peer's NAT as it signalled (UNKNOWN when no answer came)
 * @param outcome {@code PUNCHED}, or why not (a refusal, {@code DOUBLE_RANDOMIZED_NATS}, {@code DEADLINE}...)
 * @param millis from the start of the attempt to its end
 * @param steps each step that ended and how long it took ("stun 40 ms", "signals (rtt 85 ms) 90 ms", "punch ...",
 *     "quic ...", "handshake ..."), for the curious and for measurements
 */
public record PunchResult(AgentConnection connection, NatType ourNat, NatType theirNat, String outcome, long millis,
    java.util.List<String> steps) {
  /** Copies. */
  public PunchResult {
    steps = java.util.List.copyOf(steps);
  }

  /** True when the connection moved to a punched path. */
  public boolean punched() {
    return connection.path() == ConnectionPath.PUNCHED;
  }
}
