package org.dialtone.agent.reach.nat;

import java.util.List;
import java.util.Objects;
import org.dialtone.dht.net.PeerAddress;

/**
 * What the classifier concluded.
 *
 * @param type the NAT's mapping behaviour
 * @param addresses for CONSISTENT, the agreed public mappings, best agreed first; for RANDOM, the agreed public host
 *     with port 0 (the port differs per destination); for UNKNOWN, empty
 * @param reportingSubnets distinct reporter subnets among the live samples
 * @param samples live samples (at most one per reporter address)
 */
public record NatVerdict(NatType type, List<PeerAddress> addresses, int reportingSubnets, int samples) {
  /** Validates and copies. */
  public NatVerdict {
    Objects.requireNonNull(type, "type must not be null");
    addresses = List.copyOf(addresses);
    if (type == NatType.UNKNOWN && !addresses.isEmpty()) {
      throw new IllegalArgumentException("an UNKNOWN verdict has no addresses");
    }
    if (type != NatType.UNKNOWN && addresses.isEmpty()) {
      throw new IllegalArgumentException("a " + type + " verdict needs an address");
    }
  }

  static NatVerdict unknown(int subnets, int samples) {
    return new NatVerdict(NatType.UNKNOWN, List.of(), subnets, samples);
  }
}
