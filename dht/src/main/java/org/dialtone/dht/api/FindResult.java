package org.dialtone.dht.api;

import java.util.List;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.lookup.LookupStats;
import org.dialtone.dht.net.NodeInfo;

/**
 * The closest nodes to an id that answered a lookup, nearest first.
 *
 * @param target the id looked up
 * @param closest up to k nodes, nearest first
 * @param lookup the cost and path of the lookup
 */
public record FindResult(NodeId target, List<NodeInfo> closest, LookupStats lookup) {
  public FindResult {
    closest = List.copyOf(closest);
  }
}
