package org.dialtone.agent.reach.punch;

import java.util.List;
import java.util.Objects;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.net.PeerAddress;

/**
 * What we know of the other side from its signed signal.
 *
 * @param nat its NAT type
 * @param addresses its candidate addresses (a RANDOM NAT's reflexive candidate has port 0); at most 8
 * @param verifiedHost true when a node we trust observed the remote at the host of {@code addresses.get(0)} (the
 *     node that forwarded its signal saw its datagrams come from there), not merely the remote's claim
 */
public record RemotePeer(NatType nat, List<PeerAddress> addresses, boolean verifiedHost) {
  /** Bound on addresses tried, as a signal carries. */
  public static final int MAX_ADDRESSES = 8;

  /** Validates and copies. */
  public RemotePeer {
    Objects.requireNonNull(nat, "nat must not be null");
    addresses = List.copyOf(addresses);
    if (addresses.size() > MAX_ADDRESSES) {
      throw new IllegalArgumentException("at most " + MAX_ADDRESSES + " addresses, got " + addresses.size());
    }
  }
}
