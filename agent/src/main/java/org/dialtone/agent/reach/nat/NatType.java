package org.dialtone.agent.reach.nat;

/** How a NAT maps our socket, as far as the reports tell. */
public enum NatType {
  /** Too few reports, or reports that do not agree enough to decide. */
  UNKNOWN,
  /** The same public address for every destination (full cone, restricted cone, port-restricted cone, or no NAT). */
  CONSISTENT,
  /** A different public port per destination (symmetric NAT): only the public host is known. */
  RANDOM
}
