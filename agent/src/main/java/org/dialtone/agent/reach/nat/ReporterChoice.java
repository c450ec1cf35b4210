package org.dialtone.agent.reach.nat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.net.PeerAddress.Subnet;

/**
 * Which nodes to ask for our mapping. Votes count per subnet, so asking two nodes of one subnet buys one vote: pick
 * at most one node per subnet, none asked before, subnets not yet heard from first, in the order the caller knows
 * them (a routing table's most recently seen first, say). hyperdht asks 4 nodes and asks again once if too few
 * answer; with three subnets to agree, ask {@code NatSampling.randomAfterSubnets()} (5) at first, then top up.
 */
public final class ReporterChoice {
  private ReporterChoice() {}

  /**
   * Up to {@code want} nodes from {@code known}, one per subnet, none in {@code asked}, none in a subnet of
   * {@code reportedSubnets} unless no other subnet is left.
   */
  public static List<PeerAddress> pick(List<PeerAddress> known, Set<PeerAddress> asked, Set<Subnet> reportedSubnets,
      int want) {
    if (want < 0) {
      throw new IllegalArgumentException("want must not be negative, got " + want);
    }
    List<PeerAddress> fresh = new ArrayList<>();
    List<PeerAddress> heard = new ArrayList<>();
    Set<Subnet> taken = new HashSet<>();
    for (PeerAddress node : known) {
      Subnet s = node.subnet();
      if (asked.contains(node) || taken.contains(s)) {
        continue;
      }
      taken.add(s);
      (reportedSubnets.contains(s) ? heard : fresh).add(node);
    }
    List<PeerAddress> out = new ArrayList<>(want);
    for (List<PeerAddress> pool : List.of(fresh, heard)) {
      for (PeerAddress node : pool) {
        if (out.size() == want) {
          return List.copyOf(out);
        }
        out.add(node);
      }
    }
    return List.copyOf(out);
  }
}
