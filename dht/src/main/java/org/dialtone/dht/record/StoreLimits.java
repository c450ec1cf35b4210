package org.dialtone.dht.record;

/**
 * The bounds of a {@link RecordStore}: how many records one key may hold, how many the whole store may hold, and how
 * far ahead a record may expire. Every bound is what keeps a node's memory finite whatever its peers send.
 *
 * @param maxRecordsPerKey the most records (one per publisher) kept under a single key
 * @param maxRecords the most records kept in total
 * @param maxTtlSeconds the furthest a record's expiry may lie in the future when it is stored, in seconds
 */
public record StoreLimits(int maxRecordsPerKey, int maxRecords, long maxTtlSeconds) {
  /** Default for {@link #maxRecordsPerKey()}: a busy number's roster fits, a flood of publishers does not. */
  public static final int DEFAULT_MAX_RECORDS_PER_KEY = 256;
  /** Default for {@link #maxRecords()}: about 50 MB at the largest payload, far less in practice. */
  public static final int DEFAULT_MAX_RECORDS = 50_000;
  /** Default for {@link #maxTtlSeconds()}: one day; publishers republish long before that. */
  public static final long DEFAULT_MAX_TTL_SECONDS = 86_400;

  /** Validates the bounds: each must be positive. */
  public StoreLimits {
    if (maxRecordsPerKey <= 0) {
      throw new IllegalArgumentException("maxRecordsPerKey must be positive, got " + maxRecordsPerKey);
    }
    if (maxRecords <= 0) {
      throw new IllegalArgumentException("maxRecords must be positive, got " + maxRecords);
    }
    if (maxTtlSeconds <= 0) {
      throw new IllegalArgumentException("maxTtlSeconds must be positive, got " + maxTtlSeconds);
    }
  }

  /** The defaults: 256 records per key, 50,000 in total, a TTL of at most one day. */
  public static StoreLimits defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    return new Builder().maxRecordsPerKey(maxRecordsPerKey).maxRecords(maxRecords).maxTtlSeconds(maxTtlSeconds);
  }

  /** Builds {@link StoreLimits}; unset fields keep their defaults. */
  public static final class Builder {
    private int maxRecordsPerKey = DEFAULT_MAX_RECORDS_PER_KEY;
    private int maxRecords = DEFAULT_MAX_RECORDS;
    private long maxTtlSeconds = DEFAULT_MAX_TTL_SECONDS;

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

    /** Validates and builds. */
    public StoreLimits build() {
      return new StoreLimits(maxRecordsPerKey, maxRecords, maxTtlSeconds);
    }
  }
}
