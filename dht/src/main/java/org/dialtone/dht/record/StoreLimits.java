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
    return new StoreLimits(DEFAULT_MAX_RECORDS_PER_KEY, DEFAULT_MAX_RECORDS, DEFAULT_MAX_TTL_SECONDS);
  }
}
