package org.dialtone.dht.routing;

import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.net.PeerAddress.Subnet;

/**
 * The routing table's defence against one network filling it: at most {@link RoutingConfig#maxPerSubnetPerBucket()}
 * members of a subnet in a bucket and {@link RoutingConfig#maxPerSubnetInTable()} in the table. Local addresses are
 * exempt unless {@link RoutingConfig#subnetLimitsForAllAddresses()} (a test network lives on one subnet).
 */
final class SubnetLimits {
  private final RoutingConfig config;
  private final SubnetCounts table = new SubnetCounts();

  SubnetLimits(RoutingConfig config) {
    this.config = config;
  }

  /**
   * The network {@code address} counts against (IPv4 /24, IPv6 /48: one site's allocation, so its 65,536 /64s count
   * as one), or null when the limits do not apply to it.
   */
  Subnet subnetOf(PeerAddress address) {
    return config.subnetLimitsForAllAddresses() || !address.isLocal() ? address.sourcePrefix() : null;
  }

  /** Whether one more member of {@code subnet} fits {@code bucket} and the table. */
  boolean fits(Bucket bucket, Subnet subnet) {
    return bucket.subnetCount(subnet) < config.maxPerSubnetPerBucket()
        && table.count(subnet) < config.maxPerSubnetInTable();
  }

  /** A member of {@code subnet} (null: not limited) joined the table. */
  void added(Subnet subnet) {
    if (subnet != null) {
      table.increment(subnet);
    }
  }

  /** A member of {@code subnet} (null: not limited) left the table. */
  void removed(Subnet subnet) {
    if (subnet != null) {
      table.decrement(subnet);
    }
  }

  /** Members of {@code subnet} in the table. */
  int count(Subnet subnet) {
    return table.count(subnet);
  }
}
