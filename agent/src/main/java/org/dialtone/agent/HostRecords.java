package org.dialtone.agent;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.time.Clock;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;

/**
 * Reads the HOST records on a number from the DHT: every valid, unexpired one with a {@code ws://} endpoint, the
 * newest per host, in key order. What the node returns is untrusted: records of another kind, role or number, or that
 * do not decode, are skipped.
 */
final class HostRecords {
  /** One host of a number: its decoded record and the signed record itself (to learn for gossip). */
  record Hosted(AgentInfo info, SignedRecord record) {}

  private final DhtNode node;
  private final Clock clock;

  HostRecords(DhtNode node, Clock clock) {
    this.node = node;
    this.clock = clock;
  }

  /** The first host of {@code number} published by {@code publisher} (or by anyone). */
  CompletableFuture<Optional<Hosted>> first(DialNumber number, Optional<PublicKey> publisher) {
    return all(number, publisher).thenApply(hosts -> hosts.stream().findFirst());
  }

  /** Every host of {@code number} published by {@code publisher} (or by anyone); fails with RESOLVER_FAILURE. */
  CompletableFuture<List<Hosted>> all(DialNumber number, Optional<PublicKey> publisher) {
    long now = clock.epochMillis();
    return node.get(number.key()).handle((result, e) -> {
      if (e != null) {
        throw new AgentException(AgentError.RESOLVER_FAILURE, "looking up " + number + " failed",
            AgentContext.unwrap(e));
      }
      Map<PublicKey, Hosted> hosts = new TreeMap<>(Comparator.comparing(PublicKey::toHex));
      for (SignedRecord r : result.records()) {
        if (r.kind() != RecordKind.HOST.code() || r.isExpired(now)
            || publisher.isPresent() && !r.publisher().equals(publisher.get())) {
          continue;
        }
        RecordCodec.decodeAgent(r).filter(a -> a.role() == Role.HOST && a.number().equals(number)
                && a.endpoints().stream().anyMatch(x -> x.startsWith("ws://")))
            .ifPresent(a -> hosts.merge(a.agent(), new Hosted(a, r),
                (x, y) -> x.record().seq() >= y.record().seq() ? x : y));
      }
      return List.copyOf(hosts.values());
    });
  }
}
