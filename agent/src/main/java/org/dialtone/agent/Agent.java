package org.dialtone.agent;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.agent.gossip.KnownNumbers;
import org.dialtone.agent.relay.RelayReservation;
import org.dialtone.agent.secure.ClientHandshake;
import org.dialtone.agent.secure.FrameCipher;
import org.dialtone.agent.wire.Frame;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.time.Clock;
import org.dialtone.dht.time.Scheduler;
import org.dialtone.dht.time.VertxScheduler;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;

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
 */
public final class Agent implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Agent.class.getName());

  private final Vertx vertx;
  private final DhtNode node;
  private final Identity identity;
  private final NumberResolver resolver;
  private final Map<String, Service> services;
  private final Map<String, Service> connectionServices;
  private final Punching punching;
  private final AgentOptions options;
  private final KnownNumbers known;
  private final Clock clock;
  private final WebSocketClient client;
  private final List<AgentServer> servers = new CopyOnWriteArrayList<>();
  private final List<AgentConnection> connections = new CopyOnWriteArrayList<>();
  private volatile Consumer<AgentConnection> onConnection = c -> {};
  private volatile KnownHosts knownHosts = KnownHosts.inMemory();

  private Agent(Vertx vertx, DhtNode node, Identity identity, NumberResolver resolver, Map<String, Service> services,
      AgentOptions options, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.node = node;
    this.identity = identity;
    this.resolver = resolver;
    this.services = Map.copyOf(services);
    this.options = options;
    this.known = new KnownNumbers(identity.publicKey());
    this.punching = new Punching(this);
    Map<String, Service> all = new java.util.HashMap<>(this.services);
    all.put(Punching.SERVICE, punching.service()); // served on every connection, never announced
    this.connectionServices = Map.copyOf(all);
    int max = Frame.MAX_ENCODED + FrameCipher.TAG_BYTES;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(2 * max)
        .setMaxMessageSize(2 * max).setConnectTimeout((int) options.handshakeTimeout().toMillis()));
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
    return identity.publicKey();
  }

  /** The resolver, for the other gossip operations (announce, share, discover...). */
  public NumberResolver resolver() {
    return resolver;
  }

  /** Who hears each new connection, dialled or accepted, before any of its frames are handled. */
  public Agent onConnection(Consumer<AgentConnection> listener) {
    this.onConnection = listener;
    return this;
  }

  /** Numbers this agent knows (hosted, dialled, gossiped), expired ones dropped. */
  public Set<DialNumber> knownNumbers() {
    synchronized (known) {
      known.expire(clock.epochMillis());
      return known.numbers();
    }
  }

  /** Where each known number came from: publisher, who told us, when. */
  public Map<DialNumber, List<KnownNumbers.Source>> numberSources() {
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
    return AgentServer.listen(this, number, plan.port())
        .thenCompose(server -> reach(server, plan, 0, null)
            .handle((v, e) -> e == null ? CompletableFuture.completedFuture(server)
                : server.stopListening().<AgentServer>thenCompose(x -> CompletableFuture.failedFuture(unwrap(e))))
            .thenCompose(f -> f))
        .thenCompose(server -> publish(number, server));
  }

  /**
   * Tries to move {@code relayed} to a punched UDP path (QUIC, {@link ConnectionPath#PUNCHED}): inside the relayed
   * connection both agents learn and exchange their public mappings, punch at synchronised times, and the host proves
   * its key again over QUIC; the relayed connection then closes. Never fails: when no path is punched (a pair of
   * random-mapping NATs, a NAT not classified, no answer...) the result holds the relayed connection and the reason.
   */
  public CompletableFuture<PunchResult> punch(AgentConnection relayed) {
    return punching.upgrade(relayed);
  }

  /**
   * This agent's NAT as the last punch classified it from its bootstrap nodes' STUN answers (UNKNOWN before any).
   */
  public org.dialtone.agent.reach.nat.NatVerdict natVerdict() {
    return punching.lastVerdict();
  }

  /** Punch signals refused so far, by reason (forged, replayed, expired...). */
  public Map<org.dialtone.agent.reach.signal.SignalError, Long> refusedSignals() {
    return punching.refusedSignals();
  }

  /** The relays announced by bootstrap nodes on 744-196884-0 (service {@code relay}), as {@code ws://host:port}. */
  public CompletableFuture<List<String>> relays() {
    return resolver.discover(DialNumber.BOOTSTRAP).thenApply(roster -> roster.hosts().stream()
        .filter(h -> h.services().contains("relay"))
        .flatMap(h -> h.endpoints().stream())
        .filter(e -> e.startsWith("udp://"))
        .map(e -> "ws://" + e.substring("udp://".length()))
        .distinct().toList());
  }

  // Tries relays in order: a dial-back that reaches us keeps us direct; otherwise the first reservation wins.
  private CompletableFuture<Void> reach(AgentServer server, HostPlan plan, int i, Throwable last) {
    if (plan.relays().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (i >= plan.relays().size()) {
      return CompletableFuture.failedFuture(last != null ? unwrap(last)
          : new AgentException(AgentError.RELAY_REFUSED, "no relay reserved"));
    }
    String relay = plan.relays().get(i);
    return RelayReservation.connect(vertx, client, relay, identity, options.handshakeTimeout().multipliedBy(2),
            ws -> server.serveCircuit(ws, relay))
        .thenCompose(r -> (plan.tryDirect() ? r.dialBack(server.port()) : CompletableFuture.completedFuture(false))
            .thenCompose(reachable -> {
              if (reachable) {
                String host = r.observed().contains(":") ? "[" + r.observed() + "]" : r.observed();
                server.reachableAt("ws://" + host + ":" + server.port());
                r.close();
                return CompletableFuture.<Void>completedFuture(null);
              }
              return r.reserve().thenRun(() -> {
                server.relayedBy(r);
                keepReserved(server, relay, r);
              });
            })
            .whenComplete((v, e) -> {
              if (e != null) {
                r.close();
              }
            }))
        .handle((v, e) -> e == null ? CompletableFuture.<Void>completedFuture(null) : reach(server, plan, i + 1, e))
        .thenCompose(f -> f);
  }

  /** Pause before reserving again at a relay that dropped the reservation (restarted, say). */
  static final long RESERVE_AGAIN_MILLIS = 5_000;

  // When the relay drops the reservation, reserve there again (same relay, same key: the same published endpoint)
  // every RESERVE_AGAIN_MILLIS until it works or the server closes.
  private void keepReserved(AgentServer server, String relay, RelayReservation current) {
    current.lost().thenRun(() -> {
      if (server.closing()) {
        return;
      }
      LOG.log(Level.INFO, "reservation at {0} lost; reserving again in {1} ms", relay, RESERVE_AGAIN_MILLIS);
      vertx.setTimer(RESERVE_AGAIN_MILLIS, t -> {
        if (server.closing()) {
          return;
        }
        RelayReservation.connect(vertx, client, relay, identity, options.handshakeTimeout().multipliedBy(2),
                ws -> server.serveCircuit(ws, relay))
            .thenCompose(next -> next.reserve().handle((d, e) -> {
              if (e != null) {
                next.close();
                throw new java.util.concurrent.CompletionException(e);
              }
              return next;
            }))
            .whenComplete((next, e) -> {
              if (e != null) {
                keepReserved(server, relay, current); // lost() is complete: tries again after the pause
              } else if (server.closing()) {
                next.close();
              } else {
                server.relayedBy(next);
                keepReserved(server, relay, next);
              }
            });
      });
    });
  }

  private CompletableFuture<AgentServer> publish(DialNumber number, AgentServer server) {
    return resolver.host(number, List.copyOf(services.keySet()), server.endpoint())
        .handle((v, e) -> e == null ? CompletableFuture.<Void>completedFuture(null)
            : server.stopListening().<Void>thenCompose(x -> CompletableFuture.failedFuture(unwrap(e))))
        .thenCompose(f -> f)
        .thenCompose(v -> fetchHost(number, Optional.of(key()))
            .handle((found, e) -> e == null ? CompletableFuture.completedFuture(found)
                : server.closeAsync().<Optional<Hosted>>thenCompose(x -> CompletableFuture.failedFuture(unwrap(e))))
            .thenCompose(f -> f))
        .thenApply(found -> {
          found.ifPresent(h -> learn(h.record(), key()));
          servers.add(server);
          return server;
        });
  }

  /** HOST on any free port. */
  public CompletableFuture<AgentServer> host(DialNumber number) {
    return host(number, 0);
  }

  /**
   * The agents hosting {@code number} now, each with its key, name and when its record was signed, and whether this
   * agent trusts it for the number ({@link KnownHosts}). Anyone can host any number: the key is what identifies a host.
   */
  public CompletableFuture<List<HostCandidate>> hosts(DialNumber number) {
    return fetchHosts(number, Optional.empty()).thenApply(hs -> hs.stream().map(h -> candidate(number, h)).toList());
  }

  /**
   * Dials {@code number}: finds its hosts' signed HOST records in the DHT, connects to the host's endpoint and
   * requires it to prove the record's key. Anyone can host any number, so the host is never picked silently: when
   * this agent trusts a key for the number (it connected to it before, see {@link #knownHosts()}), that host is
   * dialled, and if it no longer hosts the number the future fails with {@link AgentError#HOST_KEY_CHANGED}; otherwise,
   * with several hosts it fails with {@link AgentError#AMBIGUOUS_HOST}. Both failures are a
   * {@link HostChoiceException} listing every host; choose with {@link #connect(DialNumber, PublicKey)}. After a
   * first successful connection the host's key is trusted for the number. Also fails with NOT_FOUND, WRONG_KEY,
   * BAD_SIGNATURE, TIMEOUT...
   */
  public CompletableFuture<AgentConnection> connect(DialNumber number) {
    synchronized (known) {
      known.noteDialled(number, clock.epochMillis());
    }
    return fetchHosts(number, Optional.empty()).thenCompose(hosts -> {
      if (hosts.isEmpty()) {
        return CompletableFuture.failedFuture(new AgentException(AgentError.NOT_FOUND, "nobody hosts " + number));
      }
      Optional<KnownHosts.Entry> trusted = knownHosts.trusted(number);
      if (trusted.isPresent()) {
        Optional<Hosted> same = hosts.stream().filter(h -> h.info().agent().equals(trusted.get().key())).findFirst();
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

  /**
   * Dials the host of {@code number} whose key is {@code host}. Fails with {@link AgentError#HOST_KEY_CHANGED} when
   * this agent trusts another key for the number (accept the new one with {@link KnownHosts#trust} first), and with
   * NOT_FOUND when {@code host} does not host it.
   */
  public CompletableFuture<AgentConnection> connect(DialNumber number, PublicKey host) {
    return fetchHosts(number, Optional.empty()).thenCompose(hosts -> {
      Optional<KnownHosts.Entry> trusted = knownHosts.trusted(number);
      if (trusted.isPresent() && !trusted.get().key().equals(host)) {
        return CompletableFuture.failedFuture(keyChanged(number, trusted.get(), hosts));
      }
      Optional<Hosted> chosen = hosts.stream().filter(h -> h.info().agent().equals(host)).findFirst();
      return chosen.isPresent() ? dialTrusting(number, chosen.get())
          : CompletableFuture.failedFuture(new AgentException(AgentError.NOT_FOUND,
              host.toHex() + " does not host " + number));
    });
  }

  /** The host keys this agent trusts per number (trust on first use). */
  public KnownHosts knownHosts() {
    return knownHosts;
  }

  /** Uses {@code hosts} (for example {@link KnownHosts#open} on a file, so trust outlives the process). */
  public Agent useKnownHosts(KnownHosts hosts) {
    this.knownHosts = java.util.Objects.requireNonNull(hosts, "hosts");
    return this;
  }

  /** Connects to {@code agent}: REQUEST finds its endpoints, and the endpoint must prove {@code agent}'s key. */
  public CompletableFuture<AgentConnection> connect(PublicKey agent) {
    return resolver.request(agent).handle((info, e) -> {
      if (e != null) {
        throw new AgentException(AgentError.NOT_FOUND, "agent " + agent.toHex() + " not found", unwrap(e));
      }
      return info;
    }).thenCompose(info -> dial(info, agent));
  }

  /**
   * Connects to {@code endpoint} and requires it to prove {@code expected}. For tests and for endpoints learned
   * out of band; {@link #connect(DialNumber)} is the usual way.
   */
  public CompletableFuture<AgentConnection> connect(String endpoint, PublicKey expected) {
    return connect(endpoint, expected, null);
  }

  /** As {@link #connect(String, PublicKey)}, the connection saying {@code path} (null: from the endpoint). */
  CompletableFuture<AgentConnection> connect(String endpoint, PublicKey expected, ConnectionPath knownPath) {
    CompletableFuture<AgentConnection> f = new CompletableFuture<>();
    URI uri;
    try {
      uri = URI.create(endpoint);
      if (!"ws".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException("not ws://host:port");
      }
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new AgentException(AgentError.NOT_FOUND, "bad endpoint " + endpoint));
    }
    if (options.plaintext() && !isLoopback(uri.getHost())) {
      return CompletableFuture.failedFuture(
          new AgentException(AgentError.PLAINTEXT_REFUSED, "plaintext only on loopback, not " + uri.getHost()));
    }
    ClientHandshake hs = new ClientHandshake(identity, expected, options.plaintext());
    ConnectionPath path = knownPath != null ? knownPath
        : uri.getRawPath() != null && uri.getRawPath().startsWith("/relay/") ? ConnectionPath.RELAYED
        : ConnectionPath.DIRECT;
    Context ctx = vertx.getOrCreateContext();
    ctx.runOnContext(v -> {
      // handlers go on before connecting: a server that refuses at once may close the socket before a connect
      // callback could run, and Vert.x refuses handlers on a closed socket
      ClientWebSocket ws = client.webSocket();
      handshake(ctx, ws, hs, path, f);
      ws.connect(new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort())
          .setURI(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
          .setTimeout(options.handshakeTimeout().toMillis())).onComplete(ar -> {
            if (ar.failed()) {
              f.completeExceptionally(new AgentException(AgentError.CLOSED, "cannot reach " + endpoint, ar.cause()));
            } else if (!ws.isClosed()) {
              ws.writeBinaryMessage(Buffer.buffer(hs.hello()));
            }
          });
    });
    return f.orTimeout(options.handshakeTimeout().toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS)
        .handle((c, e) -> {
          if (e != null) {
            Throwable cause = unwrap(e);
            throw cause instanceof AgentException a ? a
                : new AgentException(AgentError.TIMEOUT, "handshake with " + endpoint + " timed out", cause);
          }
          return c;
        });
  }

  private void handshake(Context ctx, ClientWebSocket ws, ClientHandshake hs, ConnectionPath path,
      CompletableFuture<AgentConnection> f) {
    Scheduler scheduler = connectionScheduler(ctx);
    Cancellable timer = scheduler.schedule(options.handshakeTimeout().toMillis(), () -> {
      ws.close(AgentError.TIMEOUT.closeCode(), "handshake timeout");
      f.completeExceptionally(new AgentException(AgentError.TIMEOUT, "server did not answer the handshake"));
    });
    ws.closeHandler(v -> {
      timer.cancel();
      f.completeExceptionally(new AgentException(AgentError.ofCloseCode(ws.closeStatusCode()),
          "server refused: " + ws.closeReason()));
    });
    ws.binaryMessageHandler(buf -> {
      timer.cancel();
      try {
        ClientHandshake.Result r = hs.onServerHello(buf.getBytes());
        ws.writeBinaryMessage(Buffer.buffer(r.clientAuth()));
        AgentConnection c = new AgentConnection(vertx, ctx, scheduler, clock, ws, r.keys(), true, path, services,
            known, options);
        connections.add(c);
        c.closed().thenRun(() -> connections.remove(c));
        onConnection.accept(c);
        c.start();
        c.ready().whenComplete((ok, e) -> {
          if (e != null) {
            f.completeExceptionally(e);
          } else {
            f.complete(c);
          }
        });
      } catch (AgentException e) {
        LOG.log(Level.WARNING, "refusing {0}: {1}", ws.remoteAddress(), e.getMessage());
        ws.close(e.code().closeCode(), e.code().name());
        f.completeExceptionally(e);
      } catch (RuntimeException e) {
        ws.close(AgentError.BAD_HANDSHAKE.closeCode(), "bad handshake");
        f.completeExceptionally(new AgentException(AgentError.BAD_HANDSHAKE, e.getMessage(), e));
      }
    });
  }

  /** Open connections, dialled and accepted. */
  public List<AgentConnection> connections() {
    return List.copyOf(connections);
  }

  /** Learns a signed HOST or SHARES record told by {@code from} (for applications that fetch records themselves). */
  public void learn(SignedRecord record, PublicKey from) {
    synchronized (known) {
      known.learn(record, from, clock.epochMillis());
    }
  }

  /** Stops every server (publishing LEFT on its number) and closes every connection; does not close the node. */
  public CompletableFuture<Void> closeAsync() {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (AgentServer s : servers) {
      all.add(s.closeAsync());
    }
    for (AgentConnection c : connections) {
      all.add(c.close());
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .thenCompose(v -> resolver.closeAsync())
        .thenCompose(v -> client.close().toCompletionStage().toCompletableFuture())
        .exceptionally(e -> null);
  }

  @Override
  public void close() {
    closeAsync().join();
  }

  // ---- package ----

  Vertx vertx() {
    return vertx;
  }

  Identity identity() {
    return identity;
  }

  AgentOptions options() {
    return options;
  }

  Map<String, Service> services() {
    return connectionServices;
  }

  Punching punching() {
    return punching;
  }

  /** The port of one of our agent servers (they all serve the same services), or -1 with none. */
  int serverPort() {
    return servers.isEmpty() ? -1 : servers.get(0).port();
  }

  KnownNumbers known() {
    return known;
  }

  Clock clock() {
    return clock;
  }

  /**
   * The scheduler a connection's timers run on: its own Vert.x context, so that they fire on the connection's
   * thread. The only place the agent reaches Vert.x timers, through the DHT's adapter.
   */
  Scheduler connectionScheduler(Context ctx) {
    return ctx.isEventLoopContext() ? new VertxScheduler(vertx, ctx) : VertxScheduler.create(vertx);
  }

  void accepted(AgentConnection c) {
    connections.add(c);
    c.closed().thenRun(() -> connections.remove(c));
    onConnection.accept(c);
  }

  void stopped(AgentServer s, DialNumber number) {
    servers.remove(s);
  }

  // ---- internals ----

  private record Hosted(AgentInfo info, SignedRecord record) {}

  private CompletableFuture<Optional<Hosted>> fetchHost(DialNumber number, Optional<PublicKey> publisher) {
    return fetchHosts(number, publisher).thenApply(hosts -> hosts.stream().findFirst());
  }

  // Every valid HOST record with a ws:// endpoint on the number, newest per host, in key order.
  private CompletableFuture<List<Hosted>> fetchHosts(DialNumber number, Optional<PublicKey> publisher) {
    long now = clock.epochMillis();
    return node.get(number.key()).handle((result, e) -> {
      if (e != null) {
        throw new AgentException(AgentError.RESOLVER_FAILURE, "looking up " + number + " failed", unwrap(e));
      }
      Map<PublicKey, Hosted> hosts = new java.util.TreeMap<>(java.util.Comparator.comparing(PublicKey::toHex));
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

  private HostCandidate candidate(DialNumber number, Hosted h) {
    Optional<Long> since = knownHosts.trusted(number).filter(t -> t.key().equals(h.info().agent()))
        .map(KnownHosts.Entry::sinceMillis);
    return new HostCandidate(number, h.info().agent(), h.info().name(), h.record().seq(), since, h.info());
  }

  private HostChoiceException keyChanged(DialNumber number, KnownHosts.Entry trusted, List<Hosted> hosts) {
    LOG.log(Level.WARNING, "HOST KEY CHANGED on {0}: trusted {1} since {2}, found {3}", number,
        trusted.key().toHex(), java.time.Instant.ofEpochMilli(trusted.sinceMillis()),
        hosts.stream().map(h -> h.info().agent().toHex()).toList());
    return new HostChoiceException(AgentError.HOST_KEY_CHANGED, "the host key of " + number + " changed: this agent "
        + "trusts " + trusted.key().toHex() + " there since " + java.time.Instant.ofEpochMilli(trusted.sinceMillis())
        + "; if the change is expected, accept a new key with knownHosts().trust(number, key, now)",
        hosts.stream().map(h -> candidate(number, h)).toList());
  }

  private CompletableFuture<AgentConnection> dialTrusting(DialNumber number, Hosted h) {
    learn(h.record(), key());
    return dial(h.info(), h.info().agent()).thenApply(c -> {
      knownHosts.trust(number, h.info().agent(), clock.epochMillis());
      return c;
    });
  }

  private CompletableFuture<AgentConnection> dial(AgentInfo info, PublicKey expected) {
    Optional<String> endpoint = info.endpoints().stream().filter(x -> x.startsWith("ws://")).findFirst();
    if (endpoint.isEmpty()) {
      return CompletableFuture.failedFuture(
          new AgentException(AgentError.NOT_FOUND, info.name() + " has no ws:// endpoint"));
    }
    return connect(endpoint.get(), expected);
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
  }

  static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }
}
