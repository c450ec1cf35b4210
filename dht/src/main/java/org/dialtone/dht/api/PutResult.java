package org.dialtone.dht.api;

import java.util.Map;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.lookup.LookupStats;

/**
 * What a put achieved.
 *
 * @param key the record's key
 * @param replicas nodes that acknowledged the store (this node counted when it is among the closest)
 * @param refusals why other nodes refused it, by code (a {@link ErrorCode#TIMEOUT} for those that never answered)
 * @param lookup the cost of finding the closest nodes
 * @param messages request datagrams sent in all: the lookup's and the stores'
 */
public record PutResult(NodeId key, int replicas, Map<ErrorCode, Integer> refusals, LookupStats lookup,
    int messages) {
  public PutResult {
    refusals = Map.copyOf(refusals);
  }
}
