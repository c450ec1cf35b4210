package org.dialtone.agent;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
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
import org.dialtone.agent.secure.ClientHandshake;
import org.dialtone.agent.secure.FrameCipher;
import org.dialtone.agent.wire.Frame;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.record.SignedRecord;
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
  private final AgentOptions options;
  private final KnownNumbers known;
  private final WebSocketClient client;
  private final List<AgentServer> servers = new CopyOnWriteArrayList<>();
  private final List<AgentConnection> connections = new CopyOnWriteArrayList<>();
  private volatile Consumer<AgentConnection> onConnection = c -> {};

  private Agent(Vertx vertx, DhtNode node, Identity identity, NumberResolver resolver, Map<String, Service> services,
      AgentOptions options) {
    this.vertx = vertx;
    this.node = node;
    this.identity = identity;
    this.resolver = resolver;
    this.services = Map.copyOf(services);
    this.options = options;
    this.known = new KnownNumbers(identity.publicKey());
    int max = Frame.MAX_ENCODED + FrameCipher.TAG_BYTES;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(2 * max)
        .setMaxMessageSize(2 * max).setConnectTimeout((int) options.handshakeTimeout().toMillis()));
  }

  /**
   * An agent speaking through {@code node} (usually a client-mode DHT node) with {@code identity}, offering
   * {@code services} on every connection, in and out.
   */
  public static Agent start(Vertx vertx, DhtNode node, Identity identity, AgentProfile profile,
      Map<String, Service> services, AgentOptions options) {
    return new Agent(vertx, node, identity, NumberResolver.create(node, identity, profile), services, options);
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
      known.expire(System.currentTimeMillis());
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
    return AgentServer.listen(this, number, port).thenCompose(server -> resolver
        .host(number, List.copyOf(services.keySet()), server.endpoint())
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
        }));
  }

  /** HOST on any free port. */
  public CompletableFuture<AgentServer> host(DialNumber number) {
    return host(number, 0);
  }

  /**
   * Dials {@code number}: finds its host's signed HOST record in the DHT, then connects to the record's endpoint and
   * requires the endpoint to prove the record's key. Fails with NOT_FOUND, WRONG_KEY, BAD_SIGNATURE, TIMEOUT...
   */
  public CompletableFuture<AgentConnection> connect(DialNumber number) {
    synchronized (known) {
      known.noteDialled(number, System.currentTimeMillis());
    }
    return fetchHost(number, Optional.empty()).thenCompose(found -> {
      if (found.isEmpty()) {
        return CompletableFuture.failedFuture(new AgentException(AgentError.NOT_FOUND, "nobody hosts " + number));
      }
      learn(found.get().record(), key());
      return dial(found.get().info(), found.get().info().agent());
    });
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
    Context ctx = vertx.getOrCreateContext();
    ctx.runOnContext(v -> client.connect(new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort())
        .setURI(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        .setTimeout(options.handshakeTimeout().toMillis())).onComplete(ar -> {
          if (ar.failed()) {
            f.completeExceptionally(new AgentException(AgentError.CLOSED, "cannot reach " + endpoint, ar.cause()));
            return;
          }
          handshake(ctx, ar.result(), hs, f);
        }));
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

  private void handshake(Context ctx, WebSocket ws, ClientHandshake hs, CompletableFuture<AgentConnection> f) {
    long timer = vertx.setTimer(options.handshakeTimeout().toMillis(), t -> {
      ws.close(AgentError.TIMEOUT.closeCode(), "handshake timeout");
      f.completeExceptionally(new AgentException(AgentError.TIMEOUT, "server did not answer the handshake"));
    });
    ws.closeHandler(v -> {
      vertx.cancelTimer(timer);
      f.completeExceptionally(new AgentException(AgentError.ofCloseCode(ws.closeStatusCode()),
          "server refused: " + ws.closeReason()));
    });
    ws.binaryMessageHandler(buf -> {
      vertx.cancelTimer(timer);
      try {
        ClientHandshake.Result r = hs.onServerHello(buf.getBytes());
        ws.writeBinaryMessage(Buffer.buffer(r.clientAuth()));
        AgentConnection c = new AgentConnection(vertx, ctx, ws, r.keys(), true, services, known, options);
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
    ws.writeBinaryMessage(Buffer.buffer(hs.hello()));
  }

  /** Open connections, dialled and accepted. */
  public List<AgentConnection> connections() {
    return List.copyOf(connections);
  }

  /** Learns a signed HOST or SHARES record told by {@code from} (for applications that fetch records themselves). */
  public void learn(SignedRecord record, PublicKey from) {
    synchronized (known) {
      known.learn(record, from, System.currentTimeMillis());
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
    return services;
  }

  KnownNumbers known() {
    return known;
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
    long now = System.currentTimeMillis();
    return node.get(number.key()).handle((result, e) -> {
      if (e != null) {
        throw new AgentException(AgentError.RESOLVER_FAILURE, "looking up " + number + " failed", unwrap(e));
      }
      Map<PublicKey, Hosted> hosts = new LinkedHashMap<>();
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
      return hosts.values().stream().findFirst();
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
