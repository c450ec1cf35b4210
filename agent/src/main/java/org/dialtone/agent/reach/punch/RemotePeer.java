package org.dialtone.agent.reach.punch;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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

  /**
   * The remote to punch towards, from what it signed ({@code signalled}: its reflexive candidates) and the host a
   * node observed it at ({@code observedHost}, any port; the relay that carries our connection). A random-port or
   * birthday punch (the strategy {@code local} and {@code nat} choose) is aimed at the observed host only: a
   * signalled candidate on any other host is dropped, and a RANDOM remote is probed at the observed host whatever
   * it claimed; without an observed host the peer is unverified (the puncher refuses). Direct rounds probe the
   * signalled candidates as they are (a few rounds at addresses the peer signed).
   */
  public static RemotePeer fromSignal(NatType local, NatType nat, List<PeerAddress> signalled,
      Optional<PeerAddress> observedHost) {
    PunchStrategy strategy = PunchStrategy.choose(local, nat);
    List<PeerAddress> claimed = signalled.stream().limit(MAX_ADDRESSES).toList();
    if (strategy != PunchStrategy.RANDOM_PORTS && strategy != PunchStrategy.BIRTHDAY) {
      return new RemotePeer(nat, claimed, false);
    }
    if (observedHost.isEmpty()) {
      return new RemotePeer(nat, claimed, false);
    }
    byte[] host = observedHost.get().ipBytes();
    if (nat == NatType.RANDOM) {
      return new RemotePeer(nat, List.of(PeerAddress.of(host, 0)), true); // its ports are random: only the host
    }
    return new RemotePeer(nat, claimed.stream().filter(a -> Arrays.equals(a.ipBytes(), host) && a.port() != 0)
        .toList(), true);
  }
}
