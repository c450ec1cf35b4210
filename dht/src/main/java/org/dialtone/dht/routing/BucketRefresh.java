package org.dialtone.dht.routing;

import java.util.ArrayList;
import java.util.List;
import org.dialtone.dht.id.NodeId;

/**
 * Which buckets of a table have gone quiet and need a refresh lookup ({@link RoutingTable#bucketsNeedingRefresh}):
 * those from 0 up to the deepest non-empty one, not touched for the refresh interval. A bucket never used counts as
 * touched when the table was made.
 */
final class BucketRefresh {
  private BucketRefresh() {}

  static List<Integer> due(Bucket[] buckets, long createdAtMillis, long nowMillis, long refreshIntervalMillis) {
    if (refreshIntervalMillis < 0) {
      throw new IllegalArgumentException("refresh interval must be >= 0, got " + refreshIntervalMillis);
    }
    List<Integer> out = new ArrayList<>();
    int deepest = deepestNonEmpty(buckets);
    for (int i = 0; i <= deepest; i++) {
      long touched = buckets[i] == null ? createdAtMillis : buckets[i].lastTouchedMillis;
      if (nowMillis - touched >= refreshIntervalMillis) {
        out.add(i);
      }
    }
    return out;
  }

  private static int deepestNonEmpty(Bucket[] buckets) {
    for (int i = NodeId.BITS - 1; i >= 0; i--) {
      if (buckets[i] != null && !buckets[i].isEmpty()) {
        return i;
      }
    }
    return -1;
  }
}
