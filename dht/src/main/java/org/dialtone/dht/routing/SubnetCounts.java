package org.dialtone.dht.routing;

import java.util.HashMap;
import java.util.Map;
import org.dialtone.dht.net.PeerAddress.Subnet;

/** How many contacts each subnet has in a bucket or a table. Entries at zero are removed, so the map stays small. */
final class SubnetCounts {
  private final Map<Subnet, Integer> counts = new HashMap<>();

  int count(Subnet subnet) {
    return counts.getOrDefault(subnet, 0);
  }

  void increment(Subnet subnet) {
    counts.merge(subnet, 1, Integer::sum);
  }

  void decrement(Subnet subnet) {
    counts.computeIfPresent(subnet, (s, n) -> n == 1 ? null : n - 1);
  }

  /** Distinct subnets counted (for tests). */
  int distinct() {
    return counts.size();
  }
}
