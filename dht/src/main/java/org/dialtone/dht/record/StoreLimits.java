package org.dialtone.dht.record;

/**
 * The bounds of a {@link RecordStore}: how many records one key may hold, how many the whole store may hold, how far
 * ahead a record may expire, and how much of a key and of the store one source prefix (IPv4 /24, IPv6 /48; see
 * {@link org.dialtone.dht.net.PeerAddress#sourcePrefix()}) may take. Every bound is what keeps a node's memory finite
 * whatever its peers send; the per-prefix bounds are what keep one host or network from taking it all.
 *
 * @param maxRecordsPerKey the most records (one per publisher) kept under a single key
 * @param maxRecords the most records kept in total
 * @param maxTtlSeconds the furthest a record's expiry may lie in the future when it is stored, in seconds
 * @param maxRecordsPerKeyPerPrefix the most records under one key stored from one source prefix
 * @param maxRecordsPerPrefix the most records in the whole store stored from one source prefix
 */
public record StoreLimits(
    int maxRecordsPerKey, int maxRecords, long maxTtlSeconds, int maxRecordsPerKeyPerPrefix,
    int maxRecordsPerPrefix) {
  /** Default for {@link #maxRecordsPerKey()}: a busy number's roster fits, a flood of publishers does not. */
  public static final int DEFAULT_MAX_RECORDS_PER_KEY = 256;
  /** Default for {@link #maxRecords()}: about 50 MB at the largest payload, far less in practice. */
  public static final int DEFAULT_MAX_RECORDS = 50_000;
  /** Default for {@link #maxTtlSeconds()}: one day; publishers republish long before that. */
  public static final long DEFAULT_MAX_TTL_SECONDS = 86_400;
  /** Default for {@link #maxRecordsPerKeyPerPrefix()}: 1/16 of a key, so filling one takes 16 networks. */
  public static final int DEFAULT_MAX_RECORDS_PER_KEY_PER_PREFIX = 16;
  /** Default for {@link #maxRecordsPerPrefix()}: 1/25 of the store, so filling it takes 25 networks. */
  public static final int DEFAULT_MAX_RECORDS_PER_PREFIX = 2_000;

  /** Validates the bounds: each must be positive. */
  public StoreLimits {
    requirePositive("maxRecordsPerKey", maxRecordsPerKey);
    requirePositive("maxRecords", maxRecords);
    if (maxTtlSeconds <= 0) {
      throw new IllegalArgumentException("maxTtlSeconds must be positive, got " + maxTtlSeconds);
    }
    requirePositive("maxRecordsPerKeyPerPrefix", maxRecordsPerKeyPerPrefix);
    requirePositive("maxRecordsPerPrefix", maxRecordsPerPrefix);
  }

  /** The given bounds, with each prefix allowed the whole of a key and of the store (no per-prefix quota). */
  public StoreLimits(int maxRecordsPerKey, int maxRecords, long maxTtlSeconds) {
    this(maxRecordsPerKey, maxRecords, maxTtlSeconds, maxRecordsPerKey, maxRecords);
  }

  /**
   * The defaults: 256 records per key, 50,000 in total, a TTL of at most one day; one prefix may hold 16 records of a
   * key and 2,000 of the store.
   */
  public static StoreLimits defaults() {
    return builder().build();
  }

  /** These limits with per-prefix quotas of {@code perKey} records under one key and {@code total} in the store. */
  public StoreLimits withPrefixQuotas(int perKey, int total) {
    return new StoreLimits(maxRecordsPerKey, maxRecords, maxTtlSeconds, perKey, total);
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    return new Builder().maxRecordsPerKey(maxRecordsPerKey).maxRecords(maxRecords).maxTtlSeconds(maxTtlSeconds)
        .maxRecordsPerKeyPerPrefix(maxRecordsPerKeyPerPrefix).maxRecordsPerPrefix(maxRecordsPerPrefix);
  }

  /** Builds {@link StoreLimits}; unset fields keep their defaults. */
  public static final class Builder {
    private int maxRecordsPerKey = DEFAULT_MAX_RECORDS_PER_KEY;
    private int maxRecords = DEFAULT_MAX_RECORDS;
    private long maxTtlSeconds = DEFAULT_MAX_TTL_SECONDS;
    private int maxRecordsPerKeyPerPrefix = DEFAULT_MAX_RECORDS_PER_KEY_PER_PREFIX;
    private int maxRecordsPerPrefix = DEFAULT_MAX_RECORDS_PER_PREFIX;

    private Builder() {}

    public Builder maxRecordsPerKey(int max) {
      this.maxRecordsPerKey = max;
      return this;
    }

    public Builder maxRecords(int max) {
      this.maxRecords = max;
      return this;
    }

    public Builder maxTtlSeconds(long seconds) {
      this.maxTtlSeconds = seconds;
      return this;
    }

    public Builder maxRecordsPerKeyPerPrefix(int max) {
      this.maxRecordsPerKeyPerPrefix = max;
      return this;
    }

    public Builder maxRecordsPerPrefix(int max) {
      this.maxRecordsPerPrefix = max;
      return this;
    }

    /** Validates and builds. */
    public StoreLimits build() {
      return new StoreLimits(maxRecordsPerKey, maxRecords, maxTtlSeconds, maxRecordsPerKeyPerPrefix,
          maxRecordsPerPrefix);
    }
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
