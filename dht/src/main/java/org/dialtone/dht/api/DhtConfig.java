package org.dialtone.dht.api;

import java.util.Objects;
import org.dialtone.dht.record.StoreLimits;
import org.dialtone.dht.routing.RoutingConfig;
import org.dialtone.dht.rpc.Rpc;

/**
 * Everything a {@link org.dialtone.dht.DhtNode} can be tuned with, validated once when built: the node's one config.
 * Each default is a named constant, in one place: here, or in the part's own config that this one holds
 * ({@link RoutingConfig}, {@link StoreLimits}, {@link Rpc.Config}, all records with a builder like this one).
 * {@link #defaults()} is right for a public node, and tests override what they need through {@link #builder()}.
 *
 * <p>Kademlia's k is kept once, in {@link RoutingConfig#k()}; {@link #k()} reads it, and {@link Builder#k(int)}
 * sets it.
 *
 * @param alpha queries a lookup keeps in flight
 * @param replication how many of the closest nodes a put stores a record on
 * @param clientMode look up and store through others, but answer no queries and never enter routing tables
 * @param routing routing-table limits
 * @param store record-store limits
 * @param rpc request timeouts and retries
 * @param operationTimeoutMillis deadline of a put, get or find unless the caller sets one
 * @param maxLookupQueries the most nodes one lookup queries
 * @param maxValuePagesPerNode the most extra FIND_VALUE pages fetched from one node in one get
 * @param rateLimitPerSecond requests per second served to one address (sustained)
 * @param rateLimitBurst requests served to one address in a burst
 * @param rateLimitTrackedAddresses addresses the rate limiter remembers (least recently seen forgotten first)
 * @param maxPendingVerifications inbound senders being asked to prove their key at once
 * @param maxHandoffRecords records handed to one new close neighbour at once
 * @param maxPublications records this node republishes for its callers at once
 * @param maintenanceIntervalMillis how often the node purges expired records and refreshes stale buckets
 * @param bucketRefreshMillis a bucket with no lookup in its range for this long is refreshed
 * @param watchFanout how many of the closest nodes to a watched key a {@linkplain org.dialtone.dht.DhtNode#watch watch} subscribes to
 * @param subscriptionTtlMillis the time to live a watch asks for its subscriptions (whole seconds, 2 s to 600 s);
 *     they are renewed, with a fresh lookup, at half of it
 * @param maxWatches watches this node keeps at once
 */
public record DhtConfig(
    int alpha,
    int replication,
    boolean clientMode,
    RoutingConfig routing,
    StoreLimits store,
    Rpc.Config rpc,
    long operationTimeoutMillis,
    int maxLookupQueries,
    int maxValuePagesPerNode,
    double rateLimitPerSecond,
    int rateLimitBurst,
    int rateLimitTrackedAddresses,
    int maxPendingVerifications,
    int maxHandoffRecords,
    int maxPublications,
    long maintenanceIntervalMillis,
    long bucketRefreshMillis,
    int watchFanout,
    long subscriptionTtlMillis,
    int maxWatches) {

  public static final int DEFAULT_ALPHA = 3;
  public static final long DEFAULT_OPERATION_TIMEOUT_MILLIS = 30_000;
  public static final int DEFAULT_MAX_LOOKUP_QUERIES = 200;
  public static final int DEFAULT_MAX_VALUE_PAGES_PER_NODE = 64;
  public static final double DEFAULT_RATE_LIMIT_PER_SECOND = 200;
  public static final int DEFAULT_RATE_LIMIT_BURST = 400;
  public static final int DEFAULT_RATE_LIMIT_TRACKED_ADDRESSES = 10_000;
  public static final int DEFAULT_MAX_PENDING_VERIFICATIONS = 256;
  public static final int DEFAULT_MAX_HANDOFF_RECORDS = 512;
  public static final int DEFAULT_MAX_PUBLICATIONS = 1024;
  public static final long DEFAULT_MAINTENANCE_INTERVAL_MILLIS = 60_000;
  public static final long DEFAULT_BUCKET_REFRESH_MILLIS = 15 * 60_000;
  public static final int DEFAULT_WATCH_FANOUT = 3;
  public static final long DEFAULT_SUBSCRIPTION_TTL_MILLIS = 120_000;
  public static final int DEFAULT_MAX_WATCHES = 256;
  /** The longest subscription a node grants (and so the longest a watch may ask for). */
  public static final long MAX_SUBSCRIPTION_TTL_MILLIS = 600_000;

  public DhtConfig {
    Objects.requireNonNull(routing, "routing");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(rpc, "rpc");
    int k = routing.k(); // 1..256, checked by RoutingConfig
    require(alpha >= 1 && alpha <= 64, "alpha must be 1..64, got " + alpha);
    require(replication >= 1 && replication <= k, "replication must be 1..k, got " + replication);
    require(operationTimeoutMillis > 0, "operationTimeoutMillis must be positive");
    require(maxLookupQueries >= k, "maxLookupQueries must be at least k");
    require(maxValuePagesPerNode >= 1, "maxValuePagesPerNode must be positive");
    require(rateLimitPerSecond > 0 && rateLimitBurst >= 1, "rate limits must be positive");
    require(rateLimitTrackedAddresses >= 1, "rateLimitTrackedAddresses must be positive");
    require(maxPendingVerifications >= 1, "maxPendingVerifications must be positive");
    require(maxHandoffRecords >= 0, "maxHandoffRecords must not be negative");
    require(maxPublications >= 1, "maxPublications must be positive");
    require(maintenanceIntervalMillis > 0 && bucketRefreshMillis > 0, "intervals must be positive");
    require(watchFanout >= 1 && watchFanout <= k, "watchFanout must be 1..k, got " + watchFanout);
    require(subscriptionTtlMillis >= 2_000 && subscriptionTtlMillis <= MAX_SUBSCRIPTION_TTL_MILLIS
        && subscriptionTtlMillis % 1000 == 0,
        "subscriptionTtlMillis must be whole seconds from 2 s to 600 s, got " + subscriptionTtlMillis);
    require(maxWatches >= 1, "maxWatches must be positive");
  }

  /** Bucket size, and how many closest nodes a lookup converges on (Kademlia's k): {@code routing().k()}. */
  public int k() {
    return routing.k();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The defaults: a full node with k = 20 ({@link RoutingConfig#DEFAULT_K}), alpha = 3. */
  public static DhtConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.alpha = alpha;
    b.replication = replication;
    b.clientMode = clientMode;
    b.routing = routing;
    b.store = store;
    b.rpc = rpc;
    b.operationTimeoutMillis = operationTimeoutMillis;
    b.maxLookupQueries = maxLookupQueries;
    b.maxValuePagesPerNode = maxValuePagesPerNode;
    b.rateLimitPerSecond = rateLimitPerSecond;
    b.rateLimitBurst = rateLimitBurst;
    b.rateLimitTrackedAddresses = rateLimitTrackedAddresses;
    b.maxPendingVerifications = maxPendingVerifications;
    b.maxHandoffRecords = maxHandoffRecords;
    b.maxPublications = maxPublications;
    b.maintenanceIntervalMillis = maintenanceIntervalMillis;
    b.bucketRefreshMillis = bucketRefreshMillis;
    b.watchFanout = watchFanout;
    b.subscriptionTtlMillis = subscriptionTtlMillis;
    b.maxWatches = maxWatches;
    return b;
  }

  /** Builds a {@link DhtConfig}; unset fields keep their defaults. */
  public static final class Builder {
    private Integer k;
    private int alpha = DEFAULT_ALPHA;
    private Integer replication;
    private boolean clientMode;
    private RoutingConfig routing;
    private StoreLimits store = StoreLimits.defaults();
    private Rpc.Config rpc = Rpc.Config.defaults();
    private long operationTimeoutMillis = DEFAULT_OPERATION_TIMEOUT_MILLIS;
    private int maxLookupQueries = DEFAULT_MAX_LOOKUP_QUERIES;
    private int maxValuePagesPerNode = DEFAULT_MAX_VALUE_PAGES_PER_NODE;
    private double rateLimitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
    private int rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;
    private int rateLimitTrackedAddresses = DEFAULT_RATE_LIMIT_TRACKED_ADDRESSES;
    private int maxPendingVerifications = DEFAULT_MAX_PENDING_VERIFICATIONS;
    private int maxHandoffRecords = DEFAULT_MAX_HANDOFF_RECORDS;
    private int maxPublications = DEFAULT_MAX_PUBLICATIONS;
    private long maintenanceIntervalMillis = DEFAULT_MAINTENANCE_INTERVAL_MILLIS;
    private long bucketRefreshMillis = DEFAULT_BUCKET_REFRESH_MILLIS;
    private Integer watchFanout;
    private long subscriptionTtlMillis = DEFAULT_SUBSCRIPTION_TTL_MILLIS;
    private int maxWatches = DEFAULT_MAX_WATCHES;

    private Builder() {}

    /** Bucket size and lookup width: sets the routing config's k (default {@link RoutingConfig#DEFAULT_K}). */
    public Builder k(int k) {
      this.k = k;
      return this;
    }

    public Builder alpha(int alpha) {
      this.alpha = alpha;
      return this;
    }

    /** How many nodes a put stores on; defaults to k. */
    public Builder replication(int replication) {
      this.replication = replication;
      return this;
    }

    public Builder clientMode(boolean clientMode) {
      this.clientMode = clientMode;
      return this;
    }

    /** The routing table's limits; its k is the node's k unless {@link #k(int)} sets another. */
    public Builder routing(RoutingConfig routing) {
      this.routing = routing;
      return this;
    }

    public Builder store(StoreLimits store) {
      this.store = store;
      return this;
    }

    public Builder rpc(Rpc.Config rpc) {
      this.rpc = rpc;
      return this;
    }

    public Builder operationTimeoutMillis(long millis) {
      this.operationTimeoutMillis = millis;
      return this;
    }

    public Builder maxLookupQueries(int maxLookupQueries) {
      this.maxLookupQueries = maxLookupQueries;
      return this;
    }

    public Builder maxValuePagesPerNode(int pages) {
      this.maxValuePagesPerNode = pages;
      return this;
    }

    public Builder rateLimit(double perSecond, int burst) {
      this.rateLimitPerSecond = perSecond;
      this.rateLimitBurst = burst;
      return this;
    }

    public Builder rateLimitTrackedAddresses(int addresses) {
      this.rateLimitTrackedAddresses = addresses;
      return this;
    }

    public Builder maxPendingVerifications(int max) {
      this.maxPendingVerifications = max;
      return this;
    }

    public Builder maxHandoffRecords(int max) {
      this.maxHandoffRecords = max;
      return this;
    }

    public Builder maxPublications(int max) {
      this.maxPublications = max;
      return this;
    }

    public Builder maintenanceIntervalMillis(long millis) {
      this.maintenanceIntervalMillis = millis;
      return this;
    }

    public Builder bucketRefreshMillis(long millis) {
      this.bucketRefreshMillis = millis;
      return this;
    }

    /** How many of the closest nodes to a watched key a watch subscribes to (default 3, or k if smaller). */
    public Builder watchFanout(int fanout) {
      this.watchFanout = fanout;
      return this;
    }

    /** The time to live a watch asks for its subscriptions, in whole seconds from 2 s to 600 s (default 120 s). */
    public Builder subscriptionTtlMillis(long millis) {
      this.subscriptionTtlMillis = millis;
      return this;
    }

    /** Watches this node keeps at once (default 256). */
    public Builder maxWatches(int max) {
      this.maxWatches = max;
      return this;
    }

    /** Validates and builds. */
    public DhtConfig build() {
      RoutingConfig base = routing != null ? routing : RoutingConfig.defaults();
      RoutingConfig r = k != null ? base.toBuilder().k(k).build() : base;
      int k = r.k();
      return new DhtConfig(alpha, replication != null ? replication : k, clientMode, r, store, rpc,
          operationTimeoutMillis, maxLookupQueries, maxValuePagesPerNode, rateLimitPerSecond, rateLimitBurst,
          rateLimitTrackedAddresses, maxPendingVerifications, maxHandoffRecords, maxPublications,
          maintenanceIntervalMillis, bucketRefreshMillis,
          watchFanout != null ? watchFanout : Math.min(DEFAULT_WATCH_FANOUT, k), subscriptionTtlMillis, maxWatches);
    }
  }
}
