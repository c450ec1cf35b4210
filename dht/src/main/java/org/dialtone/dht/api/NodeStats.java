package org.dialtone.dht.api;

import java.util.Map;

/**
 * A snapshot of a node's counters, for logs, metrics endpoints and benchmarks.
 *
 * @param routingTableSize contacts in the routing table
 * @param storedRecords records held for others
 * @param counters every counter by name (see {@link NodeMetrics.Counter})
 * @param pendingRequests requests in flight
 * @param requestTimeoutMillis the current adaptive timeout for a first transmission
 */
public record NodeStats(
    int routingTableSize,
    int storedRecords,
    Map<NodeMetrics.Counter, Long> counters,
    int pendingRequests,
    long requestTimeoutMillis) {
  public NodeStats {
    counters = Map.copyOf(counters);
  }

  /** One counter's value. */
  public long get(NodeMetrics.Counter counter) {
    return counters.getOrDefault(counter, 0L);
  }
}
