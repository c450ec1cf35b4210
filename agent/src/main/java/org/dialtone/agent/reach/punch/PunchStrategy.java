package org.dialtone.agent.reach.punch;

import org.dialtone.agent.reach.nat.NatType;

/** How to punch, from our NAT type and the remote's. */
public enum PunchStrategy {
  /** Both CONSISTENT: probe the remote's known mappings from our main socket, in rounds. */
  DIRECT,
  /** We are CONSISTENT, the remote RANDOM: probe random ports of the remote's host from our main socket. */
  RANDOM_PORTS,
  /**
   * We are RANDOM, the remote CONSISTENT: open many sockets (each gets its own mapping) and probe the remote's
   * mapping from each, so that one of our mappings is among the ports the remote's random probes try.
   */
  BIRTHDAY,
  /** No punch can work (both RANDOM) or nothing is known yet (an UNKNOWN NAT): use a relay. */
  RELAY;

  /** The strategy for this side. The two sides of a mixed pair choose complementary strategies. */
  public static PunchStrategy choose(NatType local, NatType remote) {
    if (local == NatType.UNKNOWN || remote == NatType.UNKNOWN) {
      return RELAY;
    }
    if (local == NatType.CONSISTENT) {
      return remote == NatType.CONSISTENT ? DIRECT : RANDOM_PORTS;
    }
    return remote == NatType.CONSISTENT ? BIRTHDAY : RELAY;
  }
}
