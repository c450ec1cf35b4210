package org.dialtone.dht.api;

/**
 * How a get runs.
 *
 * @param enoughRecords stop as soon as records from this many publishers are in hand (1 = first value wins);
 *     {@link Integer#MAX_VALUE} runs the lookup to the k closest nodes and merges all they hold
 * @param timeoutMillis deadline of the whole get; 0 = the node's {@link DhtConfig#operationTimeoutMillis()}
 */
public record GetOptions(int enoughRecords, long timeoutMillis) {
  public GetOptions {
    if (enoughRecords < 1 || timeoutMillis < 0) {
      throw new IllegalArgumentException("enoughRecords must be >= 1 and timeoutMillis >= 0");
    }
  }

  /** Collect everything the k closest nodes hold. */
  public static GetOptions all() {
    return new GetOptions(Integer.MAX_VALUE, 0);
  }

  /** Stop at the first valid record. */
  public static GetOptions first() {
    return new GetOptions(1, 0);
  }
}
