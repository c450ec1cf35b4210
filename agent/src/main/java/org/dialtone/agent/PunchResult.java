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
 */
public record PunchResult(AgentConnection connection, NatType ourNat, NatType theirNat, String outcome, long millis) {
  /** True when the connection moved to a punched path. */
  public boolean punched() {
    return connection.path() == ConnectionPath.PUNCHED;
  }
}
