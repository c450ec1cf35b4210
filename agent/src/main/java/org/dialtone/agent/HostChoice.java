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
  private volatile Optional<LanHosts> lan = Optional.empty();

  HostChoice(AgentContext agent, HostRecords records, ConnectionDialler dialler) {
    this.agent = agent;
    this.records = records;
    this.dialler = dialler;
  }

  KnownHosts knownHosts() {
    return knownHosts;
  }

  /** Also asks {@code hosts} for a number's hosts on the LAN (see {@link #choose}). */
  void useLan(LanHosts hosts) {
    this.lan = Optional.of(hosts);
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
    Optional<LanHosts> onLan = lan;
    if (onLan.isEmpty()) {
      return records.all(number, Optional.empty()).thenCompose(hosts -> choose(number, hosts, List.of()));
    }
    CompletableFuture<List<LanHosts.LanHost>> heard = onLan.get().find(number).exceptionally(e -> List.of());
    // When the DHT names hosts, the LAN's answers heard by then are used and no more awaited: the LAN only ever adds
    // a nearer endpoint for a key the DHT names. When it names none, the LAN is all there is: its lookup is awaited.
    return inDht(number).thenCompose(found -> {
      List<HostRecords.Hosted> hosts = found.hosts() == null ? List.of() : found.hosts();
      CompletableFuture<List<LanHosts.LanHost>> lanNow = hosts.isEmpty() ? heard
          : CompletableFuture.completedFuture(heard.getNow(List.of()));
      return lanNow.thenCompose(lanHosts -> found.dhtError() == null || !lanHosts.isEmpty()
          ? choose(number, hosts, lanHosts)
          : CompletableFuture.<AgentConnection>failedFuture(new AgentException(AgentError.RESOLVER_FAILURE,
              String.valueOf(AgentContext.unwrap(found.dhtError()).getMessage())
                  .replaceFirst("^" + AgentError.RESOLVER_FAILURE.name() + ": ", "")
                  + "; nobody answered for it on the LAN",
              found.dhtError())));
    });
  }

  /**
   * The number's hosts in the DHT, or why there are none to be had; at once when the node knows no other node (a LAN
   * with no node, or no internet): a lookup could only time out.
   */
  private CompletableFuture<Found> inDht(DialNumber number) {
    return agent.node().contacts().thenCompose(contacts -> contacts.isEmpty()
        ? CompletableFuture.completedFuture(new Found(List.of(), new AgentException(AgentError.RESOLVER_FAILURE,
            "looking up " + number + " failed: this agent's node knows no other node")))
        : records.all(number, Optional.empty()).handle((hosts, e) -> new Found(hosts, e)));
  }

  /** What the DHT said: its hosts, or why it could not say. */
  private record Found(List<HostRecords.Hosted> hosts, Throwable dhtError) {}

  /**
   * The rule, DHT and LAN together. The DHT's signed HOST records decide who hosts the number: a LAN answer only says
   * where a key listens. With a trusted key: that key is dialled, on the LAN if it answered there, else where its
   * record says; another key is HOST_KEY_CHANGED as before. Without one: the DHT's hosts as before (a LAN answer
   * from a key the DHT does not list is ignored: the records contradict it), dialled on the LAN when the chosen key
   * answered there, and pinned. Only when the DHT names nobody (no record, or no node reachable) is a LAN answer
   * dialled on its own: one key is dialled and must prove itself in the handshake, but it is NOT pinned, since
   * nothing signed says it hosts the number (a LAN neighbour could otherwise pin its key against the real host's);
   * several keys are AMBIGUOUS_HOST.
   */
  private CompletableFuture<AgentConnection> choose(DialNumber number, List<HostRecords.Hosted> hosts,
      List<LanHosts.LanHost> lanHosts) {
    Optional<KnownHosts.Entry> trusted = knownHosts.trusted(number);
    if (trusted.isPresent()) {
      PublicKey key = trusted.get().key();
      Optional<HostRecords.Hosted> same = hosts.stream().filter(h -> h.info().agent().equals(key)).findFirst();
      Optional<LanHosts.LanHost> near = lanHosts.stream().filter(h -> h.key().equals(key)).findFirst();
      if (same.isPresent()) {
        return dialTrusting(number, same.get(), near);
      }
      if (near.isPresent()) {
        return dialOnLan(number, near.get()); // already trusted: the handshake proves the very key pinned
      }
      return hosts.isEmpty() ? notFound(number, lanHosts)
          : CompletableFuture.failedFuture(keyChanged(number, trusted.get(), hosts));
    }
    if (!hosts.isEmpty()) {
      if (hosts.size() > 1) {
        return CompletableFuture.failedFuture(new HostChoiceException(AgentError.AMBIGUOUS_HOST,
            hosts.size() + " agents host " + number + "; choose one by key",
            hosts.stream().map(h -> candidate(number, h)).toList()));
      }
      PublicKey only = hosts.get(0).info().agent();
      return dialTrusting(number, hosts.get(0), lanHosts.stream().filter(h -> h.key().equals(only)).findFirst());
    }
    List<PublicKey> keys = lanHosts.stream().map(LanHosts.LanHost::key).distinct().toList();
    if (keys.size() > 1) {
      return CompletableFuture.failedFuture(new AgentException(AgentError.AMBIGUOUS_HOST, keys.size()
          + " agents on the LAN say they host " + number + " and the DHT names none; choose one by key: "
          + String.join(", ", keys.stream().map(PublicKey::toHex).toList())));
    }
    return keys.isEmpty() ? notFound(number, lanHosts) : dialOnLan(number, lanHosts.get(0));
  }

  /**
   * Dials the host of {@code number} whose key is {@code host}, unless another key is trusted there: where its DHT
   * record says (on the LAN when it answered there), then pinned; or, when the DHT does not list it, where it answered
   * on the LAN, not pinned.
   */
  CompletableFuture<AgentConnection> connect(DialNumber number, PublicKey host) {
    CompletableFuture<List<LanHosts.LanHost>> heard = lan.map(l -> l.find(number).exceptionally(e -> List.of()))
        .orElse(CompletableFuture.completedFuture(List.of()));
    return inDht(number).thenCombine(heard,
        (found, lanHosts) -> {
          List<HostRecords.Hosted> hosts = found.hosts() == null ? List.of() : found.hosts();
          Optional<LanHosts.LanHost> near = lanHosts.stream().filter(h -> h.key().equals(host)).findFirst();
          if (found.dhtError() != null && near.isEmpty()) {
            return CompletableFuture.<AgentConnection>failedFuture(found.dhtError());
          }
          Optional<KnownHosts.Entry> trusted = knownHosts.trusted(number);
          if (trusted.isPresent() && !trusted.get().key().equals(host)) {
            return CompletableFuture.<AgentConnection>failedFuture(keyChanged(number, trusted.get(), hosts));
          }
          Optional<HostRecords.Hosted> chosen = hosts.stream().filter(h -> h.info().agent().equals(host)).findFirst();
          if (chosen.isPresent()) {
            return dialTrusting(number, chosen.get(), near);
          }
          return near.isPresent() ? dialOnLan(number, near.get())
              : CompletableFuture.<AgentConnection>failedFuture(new AgentException(AgentError.NOT_FOUND,
                  host.toHex() + " does not host " + number));
        }).thenCompose(f -> f);
  }

  private static CompletableFuture<AgentConnection> notFound(DialNumber number, List<LanHosts.LanHost> lanHosts) {
    return CompletableFuture.failedFuture(new AgentException(AgentError.NOT_FOUND, "nobody hosts " + number
        + (lanHosts.isEmpty() ? "" : " but keys this agent does not trust for it")));
  }

  /** Dials a LAN answer: the endpoint must prove the key; nothing is pinned (see {@link #choose}). */
  private CompletableFuture<AgentConnection> dialOnLan(DialNumber number, LanHosts.LanHost h) {
    LOG.log(Level.INFO, "dialling {0} on the LAN at {1}, key {2}", number, h.endpoint(), h.key().toHex());
    return dialler.dial(h.endpoint(), h.key());
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
    return dialTrusting(number, h, Optional.empty());
  }

  /** Dials {@code h} (on the LAN first when its key answered there), then trusts its key for the number. */
  private CompletableFuture<AgentConnection> dialTrusting(DialNumber number, HostRecords.Hosted h,
      Optional<LanHosts.LanHost> near) {
    agent.learn(h.record(), agent.key());
    CompletableFuture<AgentConnection> dialled = near.isEmpty() ? dialler.dial(h.info(), h.info().agent())
        : dialOnLan(number, near.get()).exceptionallyCompose(e -> dialler.dial(h.info(), h.info().agent()));
    return dialled.thenApply(c -> {
      knownHosts.trust(number, h.info().agent(), agent.clock().epochMillis());
      return c;
    });
  }
}
