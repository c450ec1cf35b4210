package org.dialtone.dht.routing;

/**
 * Parameters of a {@link RoutingTable}, validated once on construction. Start from {@link #defaults()}, or change
 * fields through {@link #builder()} or {@link #toBuilder()}. Its {@code k} is the node's k: {@code DhtConfig} reads it
 * from here rather than keeping a second copy.
 *
 * @param k contacts per bucket (1..256)
 * @param replacementCacheSize verified contacts kept per bucket to replace ones that die (1..256)
 * @param maxFailures consecutive failed requests after which a contact is dropped (1..64)
 * @param subnetLimitsForAllAddresses apply the subnet limits to local addresses (loopback, private, link-local) too;
 *     off by default so a test network or a LAN on one /24 still works
 * @param maxPerSubnetPerBucket contacts from one subnet (IPv4 /24, IPv6 /48) allowed in one bucket (1..256)
 * @param maxPerSubnetInTable contacts from one subnet allowed in the whole table (1..65536); a value below
 *     {@code maxPerSubnetPerBucket} simply makes this the binding limit
 */
public record RoutingConfig(
    int k,
    int replacementCacheSize,
    int maxFailures,
    boolean subnetLimitsForAllAddresses,
    int maxPerSubnetPerBucket,
    int maxPerSubnetInTable) {
  /** Kademlia's bucket size. */
  public static final int DEFAULT_K = 20;
  /** Replacements kept per bucket. */
  public static final int DEFAULT_REPLACEMENT_CACHE_SIZE = 10;
  /** Two consecutive failures: one lost datagram does not cost a good contact its place. */
  public static final int DEFAULT_MAX_FAILURES = 2;
  /** Limits apply to public addresses only. */
  public static final boolean DEFAULT_SUBNET_LIMITS_FOR_ALL_ADDRESSES = false;
  /** As in discv5: two per /24 per bucket. */
  public static final int DEFAULT_MAX_PER_SUBNET_PER_BUCKET = 2;
  /** As in discv5: ten per /24 in the table. */
  public static final int DEFAULT_MAX_PER_SUBNET_IN_TABLE = 10;

  /** Fails with {@link IllegalArgumentException} when a field is out of its range. */
  public RoutingConfig {
    requireRange("k", k, 1, 256);
    requireRange("replacementCacheSize", replacementCacheSize, 1, 256);
    requireRange("maxFailures", maxFailures, 1, 64);
    requireRange("maxPerSubnetPerBucket", maxPerSubnetPerBucket, 1, 256);
    requireRange("maxPerSubnetInTable", maxPerSubnetInTable, 1, 65536);
  }

  /** The defaults: k=20, 10 replacements per bucket, 2 failures, limits 2 per bucket and 10 per table (public only). */
  public static RoutingConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder().k(k).replacementCacheSize(replacementCacheSize).maxFailures(maxFailures)
        .subnetLimitsForAllAddresses(subnetLimitsForAllAddresses).maxPerSubnetPerBucket(maxPerSubnetPerBucket)
        .maxPerSubnetInTable(maxPerSubnetInTable);
  }

  /** Builds a {@link RoutingConfig}; unset fields keep their defaults. */
  public static final class Builder {
    private int k = DEFAULT_K;
    private int replacementCacheSize = DEFAULT_REPLACEMENT_CACHE_SIZE;
    private int maxFailures = DEFAULT_MAX_FAILURES;
    private boolean subnetLimitsForAllAddresses = DEFAULT_SUBNET_LIMITS_FOR_ALL_ADDRESSES;
    private int maxPerSubnetPerBucket = DEFAULT_MAX_PER_SUBNET_PER_BUCKET;
    private int maxPerSubnetInTable = DEFAULT_MAX_PER_SUBNET_IN_TABLE;

    private Builder() {}

    /** Contacts per bucket. */
    public Builder k(int k) {
      this.k = k;
      return this;
    }

    /** Verified contacts kept per bucket to replace ones that die. */
    public Builder replacementCacheSize(int size) {
      this.replacementCacheSize = size;
      return this;
    }

    /** Consecutive failed requests after which a contact is dropped. */
    public Builder maxFailures(int failures) {
      this.maxFailures = failures;
      return this;
    }

    /** Apply the subnet limits to local addresses too (or not). */
    public Builder subnetLimitsForAllAddresses(boolean all) {
      this.subnetLimitsForAllAddresses = all;
      return this;
    }

    /** Contacts of one subnet allowed per bucket. */
    public Builder maxPerSubnetPerBucket(int max) {
      this.maxPerSubnetPerBucket = max;
      return this;
    }

    /** Contacts of one subnet allowed in the table. */
    public Builder maxPerSubnetInTable(int max) {
      this.maxPerSubnetInTable = max;
      return this;
    }

    /** Validates and builds. */
    public RoutingConfig build() {
      return new RoutingConfig(k, replacementCacheSize, maxFailures, subnetLimitsForAllAddresses,
          maxPerSubnetPerBucket, maxPerSubnetInTable);
    }
  }

  private static void requireRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + value);
    }
  }
}
