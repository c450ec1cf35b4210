package org.dialtone.resolver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.GetOptions;
import org.dialtone.dht.api.GetResult;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.SequenceFloor;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Scheduler;
import org.dialtone.resolver.AgentState.Desired;
import org.dialtone.resolver.AgentState.Membership;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;
import org.dialtone.resolver.record.Share;

/**
 * Dialling numbers: the seed's gossip protocol on the DHT. One resolver speaks for one agent (one Ed25519 identity)
 * through one {@link DhtNode}, usually a client-mode node.
 *
 * <pre>{@code
 * NumberResolver a = NumberResolver.create(node, identity, AgentProfile.named("Agent A").withInterests("crypto"));
 * DialNumber n23 = DialNumber.parse("744-196884-23");
 * a.announce(n23).join();                                  // ANNOUNCE: I'm on 23
 * Roster who = a.discover(n23).join();                     // DISCOVER: who is on 23
 * a.share(DialNumber.parse("744-196884-47"), "try 47 for crypto", "crypto").join();   // SHARE
 * a.host(DialNumber.parse("744-196884-53"), List.of("chat", "files"), "ws://127.0.0.1:8053").join();  // HOST
 * AgentInfo b = a.request(bKey).join();                    // REQUEST: where is agent B
 * a.watch(n23, event -> System.out.println(event));        // JOINED, LEFT, SHARED, HOSTING as they happen
 * }</pre>
 *
 * <p>What an agent announces lives for {@link ResolverConfig#presenceTtl()} and is renewed at half that while the
 * resolver runs, so an agent that crashes drops off within that time; {@link #leave} and {@link #close} say so at
 * once with a signed tombstone. Every record read is verified; forged, expired and malformed ones are skipped.
 *
 * <p>Methods may be called from any thread; futures complete on the node's thread and fail with
 * {@link ResolverException}.
 */
public final class NumberResolver implements AutoCloseable {
  private static final int MAX_NUMBERS = 16;

  private final DhtNode node;
  private final Identity identity;
  private final AgentProfile profile;
  private final ResolverConfig config;
  private final Scheduler scheduler;
  private final AgentState state;
  private final Republisher republisher;
  // What we keep published, by key, so a change publishes only what changed and withdraws what is gone.
  private final Map<NodeId, Desired> published = new HashMap<>();
  private final List<NumberWatcher> watches = new ArrayList<>();
  private volatile boolean closed;

  private NumberResolver(DhtNode node, Identity identity, AgentProfile profile, ResolverConfig config,
      SequenceFloor floor) {
    this.node = node;
    this.identity = identity;
    this.profile = profile;
    this.config = config;
    this.scheduler = node.scheduler();
    this.state = new AgentState(identity.publicKey(), profile);
    this.republisher = new Republisher(node, scheduler, identity, config.presenceTtl(), floor);
  }

  /** A resolver for the agent {@code identity}, talking through {@code node}, with the default settings. */
  public static NumberResolver create(DhtNode node, Identity identity, AgentProfile profile) {
    return create(node, identity, profile, ResolverConfig.defaults());
  }

  /**
   * A resolver for the agent {@code identity}, talking through {@code node}.
   *
   * @throws IllegalArgumentException when the profile breaks the record rules (a name over 64 characters...)
   */
  public static NumberResolver create(DhtNode node, Identity identity, AgentProfile profile, ResolverConfig config) {
    return create(node, identity, profile, config, SequenceFloor.inMemory());
  }

  /**
   * A resolver whose sequence numbers stay above {@code floor} (for example {@link SequenceFloor#open} on a file
   * beside the agent's key), so a restart with a clock that stepped back does not lock the agent out of its records.
   *
   * @throws IllegalArgumentException when the profile breaks the record rules (a name over 64 characters...)
   */
  public static NumberResolver create(DhtNode node, Identity identity, AgentProfile profile, ResolverConfig config,
      SequenceFloor floor) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(floor, "floor");
    profile.validate(identity.publicKey());
    return new NumberResolver(node, identity, profile, config, floor);
  }

  /** The agent's public key: its id. */
  public PublicKey agent() {
    return identity.publicKey();
  }

  /** The agent's profile. */
  public AgentProfile profile() {
    return profile;
  }

  /**
   * ANNOUNCE: "I'm on {@code number}". Stores the agent's presence under the number (plus its directory and
   * interest entries) and keeps it alive. Completes when the presence is stored.
   */
  public CompletableFuture<Void> announce(DialNumber number) {
    return change(() -> {
      if (!state.numbers().contains(number)) {
        requireRoom();
        state.join(number, new Membership(Role.MEMBER, List.of(), Optional.empty()));
      }
      return ResolverKeys.number(number);
    });
  }

  /**
   * HOST: "I host {@code number}, with these services, at this endpoint". Stores a host record under the number and
   * an entry under {@code service:<s>} for each service, so {@link #findNumbers} finds it.
   */
  public CompletableFuture<Void> host(DialNumber number, List<String> services, String endpoint) {
    List<String> copy = List.copyOf(services);
    return change(() -> {
      if (!state.numbers().contains(number)) {
        requireRoom();
      }
      state.join(number, new Membership(Role.HOST, copy, Optional.of(endpoint)));
      return ResolverKeys.number(number);
    });
  }

  /**
   * Leaves {@code number}: publishes a signed tombstone that replaces the agent's presence at once (watchers hear
   * LEFT), and stops renewing it.
   */
  public CompletableFuture<Void> leave(DialNumber number) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    onLoop(f, () -> complete(f, leaveNow(number)));
    return f;
  }

  private CompletableFuture<?> leaveNow(DialNumber number) {
    if (!state.leave(number)) {
      return CompletableFuture.completedFuture(null);
    }
    NodeId key = ResolverKeys.number(number);
    published.remove(key);
    republisher.stop(key);
    byte[] tombstone = RecordCodec.encodeAgent(state.infoOn(number, Role.MEMBER, List.of(), List.of()));
    CompletableFuture<?> left = republisher.publish(key, RecordKind.LEFT, tombstone, false);
    reconcile();
    return left;
  }

  /**
   * SHARE: "try {@code recommended}". A signed recommendation, stored under every number the agent is on (watchers
   * there hear SHARED) and under {@code shared:<interest>} for each interest, so {@link #findShares} finds it. The
   * agent must be on a number first.
   */
  public CompletableFuture<Void> share(DialNumber recommended, String note, String... interests) {
    Share share = new Share(recommended, note, List.of(interests));
    return change(() -> {
      if (state.numbers().isEmpty()) {
        throw new ResolverException(ResolverError.INVALID_RECORD, "announce a number before sharing from it");
      }
      state.share(share);
      return ResolverKeys.shares(state.numbers().iterator().next());
    });
  }

  /**
   * Names one more way to reach this agent in its directory record (under {@code agent:<key>}), after the profile's
   * endpoints and before where it hosts; three named at most with the profile's, so that where it hosts always fits
   * the record's four: for example the node that holds its signal inbox
   * ({@code dialtone-node://IP:PORT/NODEKEY}), so that a browser attached to another node can signal it through its
   * own. Republished at once when the agent is on a number, else with its first. A URL the record rules refuse, or
   * one too many, fails with INVALID_RECORD and changes nothing.
   */
  public CompletableFuture<Void> reachAlsoAt(String endpoint) {
    return change(() -> {
      state.reachAlso(endpoint);
      return ResolverKeys.agent(identity.publicKey());
    });
  }

  /** DISCOVER: who is on {@code number}, its hosts and services, and what they recommend. */
  public CompletableFuture<Roster> discover(DialNumber number) {
    CompletableFuture<GetResult> present = node.get(ResolverKeys.number(number));
    CompletableFuture<GetResult> shared = node.get(ResolverKeys.shares(number));
    return wrap(present.thenCombine(shared, (p, s) -> FoundRecords.roster(number, p.records(), s.records())));
  }

  /**
   * REQUEST: how to reach {@code agent}: its directory entry, with every number it is on and its endpoints. Fails
   * with {@link ResolverError#NOT_FOUND} when the agent is not announced anywhere.
   */
  public CompletableFuture<AgentInfo> request(PublicKey agent) {
    return wrap(node.get(ResolverKeys.agent(agent), GetOptions.first()).thenApply(result ->
        FoundRecords.directoryEntry(result.records(), agent).orElseThrow(() -> new ResolverException(
            ResolverError.NOT_FOUND, "agent " + agent.toHex() + " is not announced anywhere"))));
  }

  /** Agents that declared {@code interest}, newest record each. */
  public CompletableFuture<List<AgentInfo>> findAgents(String interest) {
    return wrap(node.get(ResolverKeys.interest(interest))
        .thenApply(result -> FoundRecords.agents(result.records(), RecordKind.INTEREST)));
  }

  /** Numbers whose hosts offer {@code service}, in number order. */
  public CompletableFuture<List<NumberListing>> findNumbers(String service) {
    return wrap(node.get(ResolverKeys.service(service)).thenApply(result -> FoundRecords.listings(result.records())));
  }

  /** Recommendations tagged with {@code interest}. */
  public CompletableFuture<List<Share>> findShares(String interest) {
    return wrap(node.get(ResolverKeys.sharedFor(interest))
        .thenApply(result -> FoundRecords.shares(result.records(), interest)));
  }

  /**
   * Watches {@code number}: {@code listener} hears JOINED, LEFT, SHARED and HOSTING as they happen, pushed by the
   * nodes that store the number (no polling). It runs on the node's thread; keep it quick. A watch on a number
   * nobody is on is fine and quiet.
   */
  public NumberWatch watch(DialNumber number, Consumer<NumberEvent> listener) {
    NumberWatcher w = new NumberWatcher(node, number, listener, config.expiryGrace());
    scheduler.execute(() -> {
      if (closed) {
        w.ready().completeExceptionally(new ResolverException(ResolverError.CLOSED, "resolver closed"));
        return;
      }
      watches.add(w);
      w.start(discover(number));
    });
    return w;
  }

  /**
   * The bootstrap nodes that announced themselves on {@code 744-196884-0}: dial shard 0 to learn more of them.
   */
  public CompletableFuture<List<PeerAddress>> bootstrapNodes() {
    return wrap(discover(DialNumber.BOOTSTRAP).thenApply(FoundRecords::bootstrapEndpoints));
  }

  /** For bootstrap nodes: hosts {@code 744-196884-0} with the service {@code bootstrap} at {@code udp://address}. */
  public CompletableFuture<Void> announceBootstrap(PeerAddress udpAddress) {
    return host(DialNumber.BOOTSTRAP, List.of("bootstrap"), "udp://" + udpAddress);
  }

  /** Leaves every number (tombstones), stops renewing and watching. Does not close the node. */
  public CompletableFuture<Void> closeAsync() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    scheduler.execute(() -> {
      if (closed) {
        f.complete(null);
        return;
      }
      List<CompletableFuture<?>> leaving = new ArrayList<>();
      for (DialNumber n : List.copyOf(state.numbers())) {
        leaving.add(leaveNow(n).exceptionally(e -> null)); // best effort: the records expire anyway
      }
      closed = true;
      watches.forEach(NumberWatcher::cancel);
      CompletableFuture.allOf(leaving.toArray(new CompletableFuture<?>[0]))
          .whenComplete((v, e) -> scheduler.execute(() -> {
            republisher.stopAll();
            f.complete(null);
          }));
    });
    return f;
  }

  @Override
  public void close() {
    closeAsync().join();
  }

  // ---- internals ----

  private void requireRoom() {
    if (state.numbers().size() >= MAX_NUMBERS) {
      throw new ResolverException(ResolverError.INVALID_RECORD, "an agent is on at most " + MAX_NUMBERS + " numbers");
    }
  }

  /**
   * Applies a state change on the node's thread, republishes, and completes when every put the change caused has
   * settled (the index entries under {@code service:} and {@code interest:} keys too, so that a search right after
   * finds them), failing only if {@code key}'s own put failed.
   */
  private CompletableFuture<Void> change(Supplier<NodeId> mutation) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    onLoop(f, () -> {
      NodeId key;
      try {
        key = mutation.get();
      } catch (IllegalArgumentException e) {
        throw new ResolverException(ResolverError.INVALID_RECORD, e.getMessage(), e);
      }
      Map<NodeId, CompletableFuture<?>> puts = reconcile();
      CompletableFuture<?> put = puts.get(key);
      CompletableFuture<?> settled = CompletableFuture.allOf(puts.values().stream()
          .map(p -> p.handle((v, e) -> null)).toArray(CompletableFuture<?>[]::new));
      complete(f, settled.thenCompose(v -> put != null ? put : CompletableFuture.completedFuture(null)));
    });
    return f;
  }

  // Makes the DHT match the state: publishes what changed, withdraws what is no longer wanted.
  private Map<NodeId, CompletableFuture<?>> reconcile() {
    Map<NodeId, Desired> want = state.desired();
    Map<NodeId, CompletableFuture<?>> puts = new HashMap<>();
    for (Map.Entry<NodeId, Desired> e : want.entrySet()) {
      Desired old = published.get(e.getKey());
      if (old == null || old.kind() != e.getValue().kind()
          || !java.util.Arrays.equals(old.payload(), e.getValue().payload())) {
        puts.put(e.getKey(), republisher.publish(e.getKey(), e.getValue().kind(), e.getValue().payload(), true));
      }
    }
    for (Map.Entry<NodeId, Desired> e : List.copyOf(published.entrySet())) {
      if (!want.containsKey(e.getKey())) {
        Desired withdrawal = state.withdrawal(e.getValue().kind(), DialNumber.BOOTSTRAP);
        republisher.publish(e.getKey(), withdrawal.kind(), withdrawal.payload(), false);
      }
    }
    published.clear();
    published.putAll(want);
    return puts;
  }

  private void onLoop(CompletableFuture<?> f, Runnable body) {
    scheduler.execute(() -> {
      if (closed) {
        f.completeExceptionally(new ResolverException(ResolverError.CLOSED, "resolver closed"));
        return;
      }
      try {
        body.run();
      } catch (RuntimeException e) {
        f.completeExceptionally(translate(e));
      }
    });
  }

  private static void complete(CompletableFuture<Void> f, CompletableFuture<?> put) {
    put.whenComplete((v, e) -> {
      if (e == null) {
        f.complete(null);
      } else {
        f.completeExceptionally(translate(e));
      }
    });
  }

  private static <T> CompletableFuture<T> wrap(CompletableFuture<T> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    f.whenComplete((v, e) -> {
      if (e == null) {
        out.complete(v);
      } else {
        out.completeExceptionally(translate(e));
      }
    });
    return out;
  }

  private static Throwable translate(Throwable e) {
    return ResolverException.of(e);
  }
}
