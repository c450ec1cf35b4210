package org.dialtone.resolver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.NodeId;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;
import org.dialtone.resolver.record.Share;
import org.dialtone.resolver.record.ShareList;

/**
 * What one agent should have in the DHT, given the numbers it is on, what it hosts and what it has shared: a pure
 * function from state to records, so publishing is "make the DHT match this map". No I/O.
 */
final class AgentState {
  /** Endpoints named beside where the agent hosts: the directory record holds 4, one stays for the hosting one. */
  private static final int NAMED_ENDPOINTS = 3;

  /** One record to keep published. */
  record Desired(RecordKind kind, byte[] payload) {}

  /** The agent's part on one number. */
  record Membership(Role role, List<String> services, Optional<String> endpoint) {}

  private final PublicKey agent;
  private final AgentProfile profile;
  private final Map<DialNumber, Membership> memberships = new LinkedHashMap<>();
  private final List<Share> shares = new ArrayList<>();
  private final Set<String> reachAlso = new LinkedHashSet<>();

  AgentState(PublicKey agent, AgentProfile profile) {
    this.agent = agent;
    this.profile = profile;
  }

  void join(DialNumber number, Membership m) {
    memberships.put(number, m);
  }

  boolean leave(DialNumber number) {
    return memberships.remove(number) != null;
  }

  Set<DialNumber> numbers() {
    return memberships.keySet();
  }

  /**
   * Names one more endpoint for the directory record, after the profile's and before where the agent hosts (a node
   * holding its signal inbox, say). Checked by the record rules first: a bad one changes nothing.
   */
  void reachAlso(String endpoint) {
    Set<String> after = new LinkedHashSet<>(profile.endpoints());
    after.addAll(reachAlso);
    after.add(endpoint);
    if (after.size() > NAMED_ENDPOINTS) {
      throw new IllegalArgumentException("endpoints: at most " + NAMED_ENDPOINTS + " with the profile's, besides "
          + "where the agent hosts; got " + after.size());
    }
    new AgentProfile(profile.name(), profile.interests(), List.copyOf(after)).validate(agent); // a bad URL throws
    reachAlso.add(endpoint);
  }

  /** Adds a recommendation; the oldest drops off past the limit so the list always fits one record. */
  void share(Share share) {
    shares.add(share);
    while (shares.size() > 8) {
      shares.remove(0);
    }
  }

  /** The agent's own facts on {@code number} (for a LEFT tombstone too). */
  AgentInfo infoOn(DialNumber number, Role role, List<String> services, List<String> endpoints) {
    return new AgentInfo(agent, profile.name(), number, role, services, profile.interests(), endpoints,
        List.copyOf(memberships.keySet()), 0, 0);
  }

  /** Every record this state calls for, by key, in a stable order. */
  Map<NodeId, Desired> desired() {
    Map<NodeId, Desired> out = new LinkedHashMap<>();
    if (memberships.isEmpty()) {
      return out;
    }
    DialNumber home = memberships.keySet().iterator().next();
    Set<String> hostedServices = new LinkedHashSet<>();
    for (Map.Entry<DialNumber, Membership> e : memberships.entrySet()) {
      Membership m = e.getValue();
      hostedServices.addAll(m.services());
      RecordKind kind = m.role() == Role.HOST ? RecordKind.HOST : RecordKind.PRESENCE;
      out.put(ResolverKeys.number(e.getKey()),
          agentRecord(kind, infoOn(e.getKey(), m.role(), m.services(), endpointsOf(m))));
    }
    Membership homeMembership = memberships.get(home);
    // The directory and interest entries say how to reach the agent anywhere: every endpoint it has, up to 4.
    Set<String> allEndpoints = new LinkedHashSet<>(profile.endpoints());
    allEndpoints.addAll(reachAlso);
    memberships.values().forEach(m -> m.endpoint().ifPresent(allEndpoints::add));
    List<String> reach = allEndpoints.stream().limit(4).toList();
    AgentInfo whole = infoOn(home, homeMembership.role(), List.copyOf(hostedServices), reach);
    out.put(ResolverKeys.agent(agent), agentRecord(RecordKind.AGENT, whole));
    for (String interest : profile.interests()) {
      out.put(ResolverKeys.interest(interest), agentRecord(RecordKind.INTEREST, whole));
    }
    for (String service : hostedServices) {
      List<DialNumber> hosting = new ArrayList<>();
      List<String> endpoints = new ArrayList<>();
      // Every service offered on those numbers, not just this one: "numbers --service games" shows the whole host.
      Set<String> offered = new LinkedHashSet<>();
      for (Map.Entry<DialNumber, Membership> e : memberships.entrySet()) {
        if (e.getValue().services().contains(service)) {
          hosting.add(e.getKey());
          offered.addAll(e.getValue().services());
          for (String ep : endpointsOf(e.getValue())) {
            if (!endpoints.contains(ep) && endpoints.size() < 4) {
              endpoints.add(ep);
            }
          }
        }
      }
      AgentInfo listing = new AgentInfo(agent, profile.name(), hosting.get(0), Role.HOST, List.copyOf(offered),
          profile.interests(), endpoints, hosting, 0, 0);
      out.put(ResolverKeys.service(service), agentRecord(RecordKind.SERVICE, listing));
    }
    if (!shares.isEmpty()) {
      for (DialNumber n : memberships.keySet()) {
        out.put(ResolverKeys.shares(n), new Desired(RecordKind.SHARES,
            RecordCodec.encodeShares(new ShareList(agent, profile.name(), n, shares, 0))));
      }
      Set<String> interests = new LinkedHashSet<>();
      shares.forEach(s -> interests.addAll(s.interests()));
      for (String interest : interests) {
        List<Share> tagged = shares.stream().filter(s -> s.interests().contains(interest)).toList();
        out.put(ResolverKeys.sharedFor(interest), new Desired(RecordKind.SHARES,
            RecordCodec.encodeShares(new ShareList(agent, profile.name(), home, tagged, 0))));
      }
    }
    return out;
  }

  /**
   * The record that withdraws what {@code kind} said under a key this state no longer calls for: an agent record
   * listing no numbers (readers skip those) or an empty share list. For number keys the caller sends LEFT instead.
   */
  Desired withdrawal(RecordKind kind, DialNumber anyNumber) {
    if (kind == RecordKind.SHARES) {
      return new Desired(kind, RecordCodec.encodeShares(new ShareList(agent, profile.name(), anyNumber, List.of(), 0)));
    }
    AgentInfo empty = new AgentInfo(agent, profile.name(), anyNumber, Role.MEMBER, List.of(), List.of(), List.of(),
        List.of(), 0, 0);
    return new Desired(kind, RecordCodec.encodeAgent(empty));
  }

  private List<String> endpointsOf(Membership m) {
    return m.endpoint().map(List::of).orElse(profile.endpoints());
  }

  private static Desired agentRecord(RecordKind kind, AgentInfo info) {
    return new Desired(kind, RecordCodec.encodeAgent(info));
  }
}
