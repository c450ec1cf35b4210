package org.dialtone.resolver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;
import org.dialtone.resolver.record.ShareList;
import org.dialtone.resolver.record.Share;

/**
 * The read side of {@link NumberResolver}: what the records a get found under a key say, and which of them to
 * believe. Pure functions, no I/O: a record of the wrong kind, for another number, from another publisher than the
 * one asked for, or whose payload does not decode ({@link RecordCodec} verifies the signature too) is skipped, never
 * an error; one bad record cannot hide the good ones beside it.
 */
final class FoundRecords {
  private static final Comparator<AgentInfo> BY_NAME =
      Comparator.comparing(AgentInfo::name).thenComparing(a -> a.agent().toHex());

  private FoundRecords() {}

  /** DISCOVER: the roster of {@code number} from its presence/host records and its share lists. */
  static Roster roster(DialNumber number, List<SignedRecord> present, List<SignedRecord> shared) {
    List<AgentInfo> agents = new ArrayList<>();
    for (SignedRecord r : present) {
      Optional<AgentInfo> info = RecordCodec.decodeAgent(r);
      boolean here = r.kind() == RecordKind.PRESENCE.code() || r.kind() == RecordKind.HOST.code();
      if (here && info.isPresent() && info.get().number().equals(number)) {
        agents.add(info.get());
      }
    }
    agents.sort(BY_NAME);
    List<AgentInfo> hosts = agents.stream().filter(a -> a.role() == Role.HOST).toList();
    Set<String> services = new TreeSet<>();
    hosts.forEach(h -> services.addAll(h.services()));
    List<ShareList> shares = new ArrayList<>();
    for (SignedRecord r : shared) {
      RecordCodec.decodeShares(r).filter(s -> s.fromNumber().equals(number) && !s.shares().isEmpty())
          .ifPresent(shares::add);
    }
    return new Roster(number, agents, hosts, List.copyOf(services), shares);
  }

  /** REQUEST: {@code agent}'s own directory entry, when it is on some number. */
  static Optional<AgentInfo> directoryEntry(List<SignedRecord> records, PublicKey agent) {
    for (SignedRecord r : records) {
      if (r.publisher().equals(agent) && r.kind() == RecordKind.AGENT.code()) {
        Optional<AgentInfo> info = RecordCodec.decodeAgent(r);
        if (info.isPresent() && !info.get().numbers().isEmpty()) {
          return info;
        }
      }
    }
    return Optional.empty();
  }

  /** The agents in index records of {@code kind} (interest or service entries), by name. */
  static List<AgentInfo> agents(List<SignedRecord> records, RecordKind kind) {
    List<AgentInfo> out = new ArrayList<>();
    for (SignedRecord r : records) {
      if (r.kind() == kind.code()) {
        RecordCodec.decodeAgent(r).filter(a -> !a.numbers().isEmpty()).ifPresent(out::add);
      }
    }
    out.sort(BY_NAME);
    return out;
  }

  /** The numbers the hosts in service entries offer, in number order. */
  static List<NumberListing> listings(List<SignedRecord> records) {
    List<NumberListing> out = new ArrayList<>();
    for (AgentInfo host : agents(records, RecordKind.SERVICE)) {
      for (DialNumber n : host.numbers()) {
        out.add(new NumberListing(n, host));
      }
    }
    out.sort(Comparator.comparing(NumberListing::number));
    return out;
  }

  /** The recommendations tagged with {@code interest}, each once. */
  static List<Share> shares(List<SignedRecord> records, String interest) {
    Set<Share> out = new LinkedHashSet<>();
    for (SignedRecord r : records) {
      RecordCodec.decodeShares(r).ifPresent(list ->
          list.shares().stream().filter(s -> s.interests().contains(interest)).forEach(out::add));
    }
    return List.copyOf(out);
  }

  /** The UDP endpoints the hosts of a roster of shard 0 give: the bootstrap nodes. Unusable endpoints are skipped. */
  static List<PeerAddress> bootstrapEndpoints(Roster roster) {
    Set<PeerAddress> out = new LinkedHashSet<>();
    for (AgentInfo host : roster.hosts()) {
      for (String endpoint : host.endpoints()) {
        if (endpoint.startsWith("udp://")) {
          try {
            out.add(PeerAddress.parse(endpoint.substring("udp://".length())));
          } catch (IllegalArgumentException e) {
            // an endpoint we cannot use is skipped, not fatal
          }
        }
      }
    }
    return List.copyOf(out);
  }
}
