package org.dialtone.agent;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.gossip.KnownNumbers;
import org.dialtone.agent.secure.FrameCipher;
import org.dialtone.agent.wire.Frame;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.time.Clock;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.number.DialNumber;

/**
 * An agent: one Ed25519 identity that dials numbers through the DHT, hosts numbers with services, connects directly
 * to other agents, and gossips the numbers it knows with every agent it is connected to.
 *
 * <pre>{@code
 * Agent b = Agent.start(vertx, nodeB, idB, AgentProfile.named("Agent B"),
 *     Map.of("chat", Services.chat(), "files", Services.files(downloads, f -> ...)), AgentOptions.defaults());
 * b.host(DialNumber.parse("744-196884-53")).join();        // listens, publishes HOST with its ws:// endpoint
 * AgentConnection c = a.connect(DialNumber.parse("744-196884-53")).join();   // resolve, dial, prove both keys
 * c.chat("hello B");
 * c.sendFile(Path.of("big.bin")).join();                   // streamed, SHA-256 checked
 * }</pre>
 *
 * <p>The agent wires its parts and exposes them: {@code Hosting} (listen, reach through relays with
 * {@code RelayReach}, publish), {@code HostChoice} (which host of a number to dial, trust on first use),
 * {@code ConnectionDialler} (WebSocket and client handshake), {@code HostRecords} (HOST records read from the DHT) and
 * {@code OpenConnections}; they share an {@code AgentContext}, never the agent itself.
 */
public final class Agent implements AutoCloseable {
  private final AgentContext context;
  private final ConnectionDialler dialler;
  private final HostChoice choice;
  private final RelayReach relays;
  private final Hosting hosting;
  private final NatCheck nat;

  private Agent(Vertx vertx, DhtNode node, Identity identity, NumberResolver resolver, Map<String, Service> services,
      AgentOptions options, Clock clock) {
    int max = Frame.MAX_ENCODED + FrameCipher.TAG_BYTES;
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(2 * max)
        .setMaxMessageSize(2 * max).setConnectTimeout((int) options.handshakeTimeout().toMillis()));
    Punching punching = new Punching(identity, clock);
    Map<String, Service> served = new java.util.HashMap<>(services);
    served.put(Punching.SERVICE, punching.service()); // served on every connection, never announced
    this.context = new AgentContext(vertx, node, identity, resolver, Map.copyOf(served), options,
        new KnownNumbers(identity.publicKey()), clock, client, new OpenConnections(), punching);
    HostRecords records = new HostRecords(node, clock);
    this.dialler = new ConnectionDialler(context);
    this.choice = new HostChoice(context, records, dialler);
    this.nat = punching.natCheck(); // one verdict, whether a punch or a check made it
    this.relays = new RelayReach(context, nat);
    this.hosting = new Hosting(context, records, relays);
    punching.wire(dialler, relays, context.open());
  }

  /**
   * An agent speaking through {@code node} (usually a client-mode DHT node) with {@code identity}, offering
   * {@code services} on every connection, in and out. It reads the time from the node's clock
   * ({@code node.scheduler().clock()}), so an agent on a simulated node runs on the simulation's time.
   */
  public static Agent start(Vertx vertx, DhtNode node, Identity identity, AgentProfile profile,
      Map<String, Service> services, AgentOptions options) {
    return new Agent(vertx, node, identity, NumberResolver.create(node, identity, profile), services, options,
        node.scheduler().clock());
  }

  /**
   * As {@link #start}, speaking through {@code resolver} (already made for {@code identity} on {@code node}, for
   * example with a persistent sequence floor) instead of a new one.
   */
  public static Agent using(Vertx vertx, DhtNode node, Identity identity, NumberResolver resolver,
      Map<String, Service> services, AgentOptions options) {
    return new Agent(vertx, node, identity, resolver, services, options, node.scheduler().clock());
  }

  /** The agent's key. */
  public PublicKey key() {
    return context.key();
  }

  /** The resolver, for the other gossip operations (announce, share, discover...). */
  public NumberResolver resolver() {
    return context.resolver();
  }

  /** Who hears each new connection, dialled or accepted, before any of its frames are handled. */
  public Agent onConnection(Consumer<AgentConnection> listener) {
    context.open().onConnection(listener);
    return this;
  }

  /** Numbers this agent knows (hosted, dialled, gossiped), expired ones dropped. */
  public Set<DialNumber> knownNumbers() {
    KnownNumbers known = context.known();
    synchronized (known) {
      known.expire(context.clock().epochMillis());
      return known.numbers();
    }
  }

  /** Where each known number came from: publisher, who told us, when. */
  public Map<DialNumber, List<KnownNumbers.Source>> numberSources() {
    KnownNumbers known = context.known();
    synchronized (known) {
      return known.sources();
    }
  }

  /**
   * HOST: listens on {@code ws://host:port/} (port 0: any free one), publishes the HOST record with the endpoint and
   * the service names (renewed while the agent runs), and learns the record for gossip. If publishing fails, the
   * server stops listening before the future fails (and, if the record was published, LEFT is published).
   */
  public CompletableFuture<AgentServer> host(DialNumber number, int port) {
    return host(number, HostPlan.direct(port));
  }

  /**
   * HOST as {@code plan} says: listens, then (with relays) learns from the first relay that answers whether it is
   * reachable (the relay's dial-back to our observed address) and publishes that address, or else reserves there
   * and publishes the relay's endpoint, taking the circuits it offers. Fails with the last relay's error when no
   * relay reserves (the server then stops listening).
   */
  public CompletableFuture<AgentServer> host(DialNumber number, HostPlan plan) {
    return hosting.host(number, plan);
  }

  /** HOST on any free port. */
  public CompletableFuture<AgentServer> host(DialNumber number) {
    return host(number, 0);
  }

  /**
   * JOIN, as Hyperswarm's {@code join(topic)}: hosts {@code number} (directly when reachable, else through a relay:
   * {@link JoinOptions#relays()}, or those announced on 744-196884-0; directly when there are none), then keeps an
   * authenticated connection to every other agent that joined it, as they come and go. Completes once the room is
   * hosted and its roster read; {@link NumberSwarm#leave()} ends it.
   */
  public CompletableFuture<NumberSwarm> join(DialNumber number, JoinOptions options) {
    CompletableFuture<List<String>> known = options.relays().isEmpty()
        ? relays().exceptionally(e -> List.of()) : CompletableFuture.completedFuture(options.relays());
    return known.thenCompose(rs -> host(number, rs.isEmpty() ? HostPlan.direct(options.port())
            : HostPlan.auto(options.port(), rs)))
        .thenCompose(server -> NumberSwarm.start(this, number, options, context.node().scheduler(), server));
  }

  /** JOIN with the default options. */
  public CompletableFuture<NumberSwarm> join(DialNumber number) {
    return join(number, JoinOptions.defaults());
  }

  /** Also tells {@code listener} of each connection this agent answers; the returned action stops that. */
  Runnable onAnswered(Consumer<AgentConnection> listener) {
    return context.open().onAnswered(listener);
  }

  /**
   * Tries to move {@code relayed} to a punched UDP path (QUIC, {@link ConnectionPath#PUNCHED}): inside the relayed
   * connection both agents learn and exchange their public mappings, punch at synchronised times, and the host proves
   * its key again over QUIC; the relayed connection then closes. Never fails: when no path is punched (a pair of
   * random-mapping NATs, a NAT not classified, no answer...) the result holds the relayed connection and the reason.
   */
  public CompletableFuture<PunchResult> punch(AgentConnection relayed) {
    return context.punching().upgrade(relayed);
  }

  /**
   * This agent's NAT as last classified: CONSISTENT (one public mapping for every destination: a cone NAT, or none),
   * RANDOM (a symmetric NAT) or UNKNOWN. It is known after {@link #checkNat()} or a {@link #punch}, each of which asks
   * up to four bootstrap nodes' STUN servers for a fresh UDP socket's mapping; UNKNOWN before either, and when fewer
   * than two STUN servers answered. {@link #natStatus()} adds when it was made and whether a dial-back reached us.
   */
  public org.dialtone.agent.reach.nat.NatVerdict natVerdict() {
    return natStatus().nat();
  }

  /**
   * What this agent knows of its place on the network: its NAT verdict ({@link #natVerdict()}) with the time it was
   * made, and whether a relay's dial-back reached it the last time it hosted with relays ({@link HostPlan#auto}).
   */
  public NatStatus natStatus() {
    return nat.status();
  }

  /**
   * Classifies this agent's NAT now, without punching: a fresh UDP socket asks up to four bootstrap nodes' STUN
   * servers (port 3478 of the nodes announcing a relay on 744-196884-0) for its mapping, then closes. Completes with
   * the new status; UNKNOWN when fewer than two answered within 2 s.
   */
  public CompletableFuture<NatStatus> checkNat() {
    return relays().exceptionally(e -> List.of()).thenCompose(nat::check);
  }

  /** Punch signals refused so far, by reason (forged, replayed, expired...). */
  public Map<org.dialtone.agent.reach.signal.SignalError, Long> refusedSignals() {
    return context.punching().refusedSignals();
  }

  /** The relays announced by bootstrap nodes on 744-196884-0 (service {@code relay}), as {@code ws://host:port}. */
  public CompletableFuture<List<String>> relays() {
    return relays.relays();
  }

  /**
   * The agents hosting {@code number} now, each with its key, name and when its record was signed, and whether this
   * agent trusts it for the number ({@link KnownHosts}). Anyone can host any number: the key is what identifies a host.
   */
  public CompletableFuture<List<HostCandidate>> hosts(DialNumber number) {
    return choice.hosts(number);
  }

  /**
   * Dials {@code number}: finds its hosts' signed HOST records in the DHT, connects to the host's endpoint and
   * requires it to prove the record's key. Anyone can host any number, so the host is never picked silently: when
   * this agent trusts a key for the number (it connected to it before, see {@link #knownHosts()}), that host is
   * dialled, and if it no longer hosts the number the future fails with {@link AgentError#HOST_KEY_CHANGED}; otherwise,
   * with several hosts it fails with {@link AgentError#AMBIGUOUS_HOST}. Both failures are a
   * {@link HostChoiceException} listing every host; choose with {@link #connect(DialNumber, PublicKey)}. After a
   * first successful connection the host's key is trusted for the number. With a LAN ({@link #useLan}) the hosts that
   * answer there count too: a trusted or the DHT's chosen key is dialled on the LAN when it answered there, and when
   * the DHT names no host (none published, or no node reachable) a single LAN answer is dialled, proved in the
   * handshake, and not pinned. Also fails with NOT_FOUND, WRONG_KEY, BAD_SIGNATURE, TIMEOUT...
   */
  public CompletableFuture<AgentConnection> connect(DialNumber number) {
    return choice.connect(number);
  }

  /**
   * Dials the host of {@code number} whose key is {@code host}. Fails with {@link AgentError#HOST_KEY_CHANGED} when
   * this agent trusts another key for the number (accept the new one with {@link KnownHosts#trust} first), and with
   * NOT_FOUND when {@code host} does not host it.
   */
  public CompletableFuture<AgentConnection> connect(DialNumber number, PublicKey host) {
    return choice.connect(number, host);
  }

  /**
   * Finds numbers' hosts on the LAN through {@code lan} as well as in the DHT, and answers there for the numbers this
   * agent hosts from now on. A LAN answer is a hint: the endpoint must prove the key, and only keys that a signed
   * HOST record in the DHT names are pinned (see {@link #connect(DialNumber)} and docs/connections.md).
   */
  public Agent useLan(LanHosts lan) {
    choice.useLan(lan);
    hosting.useLan(lan);
    return this;
  }

  /**
   * Hosts {@code number} on the LAN only ({@link #useLan} first): listens on {@code port} (0: any free one) and
   * answers for the number there, publishing nothing in the DHT, for a LAN with no node or no internet.
   */
  public CompletableFuture<AgentServer> hostOnLan(DialNumber number, int port) {
    return hosting.hostOnLan(number, port);
  }

  /** The host keys this agent trusts per number (trust on first use). */
  public KnownHosts knownHosts() {
    return choice.knownHosts();
  }

  /** Uses {@code hosts} (for example {@link KnownHosts#open} on a file, so trust outlives the process). */
  public Agent useKnownHosts(KnownHosts hosts) {
    choice.useKnownHosts(hosts);
    return this;
  }

  /** Connects to {@code agent}: REQUEST finds its endpoints, and the endpoint must prove {@code agent}'s key. */
  public CompletableFuture<AgentConnection> connect(PublicKey agent) {
    return dialler.dial(agent);
  }

  /**
   * Connects to {@code endpoint} and requires it to prove {@code expected}. For tests and for endpoints learned
   * out of band; {@link #connect(DialNumber)} is the usual way.
   */
  public CompletableFuture<AgentConnection> connect(String endpoint, PublicKey expected) {
    return dialler.dial(endpoint, expected);
  }

  /** Open connections, dialled and accepted. */
  public List<AgentConnection> connections() {
    return context.open().connections();
  }

  /** Learns a signed HOST or SHARES record told by {@code from} (for applications that fetch records themselves). */
  public void learn(SignedRecord record, PublicKey from) {
    context.learn(record, from);
  }

  /** Stops every server (publishing LEFT on its number) and closes every connection; does not close the node. */
  public CompletableFuture<Void> closeAsync() {
    return context.open().closeAll()
        .thenCompose(v -> context.resolver().closeAsync())
        .thenCompose(v -> context.client().close().toCompletionStage().toCompletableFuture())
        .exceptionally(e -> null);
  }

  @Override
  public void close() {
    closeAsync().join();
  }
}
