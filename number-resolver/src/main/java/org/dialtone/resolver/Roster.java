package org.dialtone.resolver;

import java.util.List;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.ShareList;

/**
 * Who is on a number: the answer to DISCOVER, merged from the nodes that store the number's key, newest record per
 * agent, every one verified; agents that left or whose record expired are not in it.
 *
 * @param number the number dialled
 * @param agents everyone present, hosts included, ordered by name
 * @param hosts the agents hosting the number
 * @param services the services the hosts offer, sorted
 * @param shares what agents on the number recommend
 */
public record Roster(
    DialNumber number, List<AgentInfo> agents, List<AgentInfo> hosts, List<String> services, List<ShareList> shares) {
  public Roster {
    agents = List.copyOf(agents);
    hosts = List.copyOf(hosts);
    services = List.copyOf(services);
    shares = List.copyOf(shares);
  }

  /** True when nobody is on the number. */
  public boolean isEmpty() {
    return agents.isEmpty();
  }
}
