package org.dialtone.agent;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.resolver.number.DialNumber;

/**
 * Which host of a number to dial, and whether to trust it. Anyone can host any number, so the host is never picked
 * silently: a key this agent trusts for the number ({@link KnownHosts}, trust on first use) is dialled, and its
 * absence is HOST_KEY_CHANGED; several untrusted hosts are AMBIGUOUS_HOST; both list every host so the user can
 * choose by key. A first successful connection trusts the host's key for the number.
 */
final class HostChoice {
  private static final System.Logger LOG = System.getLogger(HostChoice.class.getName());

  private final AgentContext agent;
  private final HostRecords records;
  private final ConnectionDialler dialler;
  private volatile KnownHosts knownHosts = KnownHosts.inMemory();

  HostChoice(AgentContext agent, HostRecords records, ConnectionDialler dialler) {
    this.agent = agent;
    this.records = records;
    this.dialler = dialler;
  }

  KnownHosts knownHosts() {
    return knownHosts;
  }

  void useKnownHosts(KnownHosts hosts) {
    this.knownHosts = Objects.requireNonNull(hosts, "hosts");
  }

  /** The hosts of {@code number} now, each marked with whether it is trusted. */
  CompletableFuture<List<HostCandidate>> hosts(DialNumber number) {
    return records.all(number, Optional.empty())
        .thenApply(hs -> hs.stream().map(h -> candidate(number, h)).toList());
  }

  /** Dials the trusted host of {@code number}, or its only host (see the class comment). */
  CompletableFuture<AgentConnection> connect(DialNumber number) {
    synchronized (agent.known()) {
      agent.known().noteDialled(number, agent.clock().epochMillis());
    }
    return records.all(number, Optional.empty()).thenCompose(hosts -> {
      if (hosts.isEmpty()) {
        return CompletableFuture.failedFuture(new AgentException(AgentError.NOT_FOUND, "nobody hosts " + number));
      }
      Optional<KnownHosts.Entry> trusted = knownHosts.trusted(number);
      if (trusted.isPresent()) {
        Optional<HostRecords.Hosted> same =
            hosts.stream().filter(h -> h.info().agent().equals(trusted.get().key())).findFirst();
        return same.isPresent() ? dialTrusting(number, same.get())
            : CompletableFuture.failedFuture(keyChanged(number, trusted.get(), hosts));
      }
      if (hosts.size() > 1) {
        return CompletableFuture.failedFuture(new HostChoiceException(AgentError.AMBIGUOUS_HOST,
            hosts.size() + " agents host " + number + "; choose one by key",
            hosts.stream().map(h -> candidate(number, h)).toList()));
      }
      return dialTrusting(number, hosts.get(0));
    });
  }

  /** Dials the host of {@code number} whose key is {@code host}, unless another key is trusted there. */
  CompletableFuture<AgentConnection> connect(DialNumber number, PublicKey host) {
    return records.all(number, Optional.empty()).thenCompose(hosts -> {
      Optional<KnownHosts.Entry> trusted = knownHosts.trusted(number);
      if (trusted.isPresent() && !trusted.get().key().equals(host)) {
        return CompletableFuture.failedFuture(keyChanged(number, trusted.get(), hosts));
      }
      Optional<HostRecords.Hosted> chosen = hosts.stream().filter(h -> h.info().agent().equals(host)).findFirst();
      return chosen.isPresent() ? dialTrusting(number, chosen.get())
          : CompletableFuture.failedFuture(new AgentException(AgentError.NOT_FOUND,
              host.toHex() + " does not host " + number));
    });
  }

  private HostCandidate candidate(DialNumber number, HostRecords.Hosted h) {
    Optional<Long> since = knownHosts.trusted(number).filter(t -> t.key().equals(h.info().agent()))
        .map(KnownHosts.Entry::sinceMillis);
    return new HostCandidate(number, h.info().agent(), h.info().name(), h.record().seq(), since, h.info());
  }

  private HostChoiceException keyChanged(DialNumber number, KnownHosts.Entry trusted,
      List<HostRecords.Hosted> hosts) {
    LOG.log(Level.WARNING, "HOST KEY CHANGED on {0}: trusted {1} since {2}, found {3}", number,
        trusted.key().toHex(), Instant.ofEpochMilli(trusted.sinceMillis()),
        hosts.stream().map(h -> h.info().agent().toHex()).toList());
    return new HostChoiceException(AgentError.HOST_KEY_CHANGED, "the host key of " + number + " changed: this agent "
        + "trusts " + trusted.key().toHex() + " there since " + Instant.ofEpochMilli(trusted.sinceMillis())
        + "; if the change is expected, accept a new key with knownHosts().trust(number, key, now)",
        hosts.stream().map(h -> candidate(number, h)).toList());
  }

  private CompletableFuture<AgentConnection> dialTrusting(DialNumber number, HostRecords.Hosted h) {
    agent.learn(h.record(), agent.key());
    return dialler.dial(h.info(), h.info().agent()).thenApply(c -> {
      knownHosts.trust(number, h.info().agent(), agent.clock().epochMillis());
      return c;
    });
  }
}
