package org.dialtone.dht.routing;

import java.util.HashMap;
import java.util.Map;
import org.dialtone.dht.net.PeerAddress.Subnet;

/**
 * How many contacts each subnet has in a bucket or a table. Entries at zero are removed, so the map stays small; it
 * is created on the first count (most buckets of a node with local addresses never count any).
 */
final class SubnetCounts {
  private Map<Subnet, Integer> counts;

  int count(Subnet subnet) {
    return counts == null ? 0 : counts.getOrDefault(subnet, 0);
  }

  void increment(Subnet subnet) {
    if (counts == null) {
      counts = new HashMap<>();
    }
    counts.merge(subnet, 1, Integer::sum);
  }

  void decrement(Subnet subnet) {
    if (counts != null) {
      counts.computeIfPresent(subnet, (s, n) -> n == 1 ? null : n - 1);
    }
  }

  /** Distinct subnets counted (for tests). */
  int distinct() {
    return counts == null ? 0 : counts.size();
  }
}
