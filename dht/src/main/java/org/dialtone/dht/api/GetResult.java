package org.dialtone.dht.api;

import java.util.List;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.lookup.LookupStats;
import org.dialtone.dht.record.SignedRecord;

/**
 * The records found under a key: the newest valid one of each publisher, every one verified by this node.
 *
 * @param key the key looked up
 * @param records one per publisher, newest sequence wins; empty when nobody holds any
 * @param lookup the cost and path of the lookup
 */
public record GetResult(NodeId key, List<SignedRecord> records, LookupStats lookup) {
  public GetResult {
    records = List.copyOf(records);
  }
}
