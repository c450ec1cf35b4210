package org.dialtone.dht;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.FindResult;
import org.dialtone.dht.api.GetOptions;
import org.dialtone.dht.api.GetResult;
import org.dialtone.dht.api.NodeMetrics;
import org.dialtone.dht.api.NodeStats;
import org.dialtone.dht.api.Publication;
import org.dialtone.dht.api.PutResult;
import org.dialtone.dht.api.SignalHandler;
import org.dialtone.dht.api.SignalRefusal;
import org.dialtone.dht.api.Watch;
import org.dialtone.dht.api.WatchListener;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.node.Bootstrap;
import org.dialtone.dht.node.Contacts;
import org.dialtone.dht.node.CountingTransport;
import org.dialtone.dht.node.DatagramDispatcher;
import org.dialtone.dht.node.LookupRunner;
import org.dialtone.dht.node.Maintenance;
import org.dialtone.dht.node.NodeContext;
import org.dialtone.dht.node.Operations;
import org.dialtone.dht.node.PutReplicator;
import org.dialtone.dht.node.QueryServer;
import org.dialtone.dht.node.SignalSender;
import org.dialtone.dht.publish.Publications;
import org.dialtone.dht.record.PutOutcome;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.time.Scheduler;
import org.dialtone.dht.transport.Transport;
import org.dialtone.dht.watch.Watches;

/**
 * A Kademlia DHT node: the public API and the wiring of its parts. Start it on a transport, {@link #bootstrap} it,
 * wait for {@link #ready()}, then {@link #put}, {@link #get} and {@link #findClosest}.
 *
 * <pre>{@code
 * DhtNode node = DhtNodes.startUdp(vertx, DhtConfig.defaults(), identity, "127.0.0.1", 7440).join();
 * node.bootstrap(List.of(PeerAddress.parse("127.0.0.1:7441"))).join();
 * SignedRecord r = SignedRecord.sign(identity, Keys.contentKey("number", "744-196884-23"), 1, 1, expiry, payload);
 * node.put(r).join();
 * List<SignedRecord> found = node.get(r.key()).join().records();
 * }</pre>
 *
 * <p>Every method may be called from any thread. The node's work runs on its scheduler's single thread, and the
 * returned futures complete there: do not block inside their callbacks. Futures fail with {@link DhtException},
 * whose {@link DhtException#code()} is stable; they time out on their own and can be cancelled.
 *
 * <p>In {@linkplain DhtConfig#clientMode() client mode} the node looks up and stores through others but answers no
 * queries and never appears in anyone's routing table: for agents behind NAT and short-lived commands.
 */
public final class DhtNode implements AutoCloseable {
  private final NodeContext ctx;
  private final Contacts contacts;
  private final QueryServer server;
  private final Operations operations;
  private final PutReplicator replicator;
  private final Bootstrap bootstrap;
  private final Maintenance maintenance;
  private final Publications publications;
  private final Watches watches;
  private final DatagramDispatcher dispatcher;
  private final SignalSender signalSender;

  private DhtNode(DhtConfig config, Identity identity, Transport transport, Scheduler scheduler, Random random) {
    NodeMetrics metrics = new NodeMetrics();
    this.ctx = new NodeContext(config, identity, new CountingTransport(transport, metrics), scheduler, random,
        metrics);
    this.contacts = new Contacts(ctx);
    this.watches = new Watches(ctx, contacts);
    this.server = new QueryServer(ctx, watches::deliver);
    this.dispatcher = new DatagramDispatcher(ctx, server, contacts, watches::onNotify);
    this.operations = new Operations(ctx);
    this.replicator = new PutReplicator(ctx, contacts, server);
    this.bootstrap = new Bootstrap(ctx, contacts);
    this.maintenance = new Maintenance(ctx, contacts, bootstrap);
    this.publications = new Publications(this::put, scheduler, config.maxPublications());
    this.signalSender = new SignalSender(ctx);
  }

  /**
   * A node on {@code transport}, running on {@code scheduler}. It answers queries at once (unless in client mode)
   * and is ready after {@link #bootstrap}.
   *
   * @param random the source of transaction ids, challenges and token secrets: a {@link java.security.SecureRandom}
   *     for real nodes, a seeded {@link Random} only in simulations
   */
  public static DhtNode create(
      DhtConfig config, Identity identity, Transport transport, Scheduler scheduler, Random random) {
    DhtNode node = new DhtNode(Objects.requireNonNull(config), Objects.requireNonNull(identity),
        Objects.requireNonNull(transport), Objects.requireNonNull(scheduler), Objects.requireNonNull(random));
    transport.onReceive(node.dispatcher::onDatagram);
    scheduler.execute(node.maintenance::schedule);
    return node;
  }

  /** This node's id: SHA-256 of its public key. */
  public NodeId id() {
    return ctx.identity.nodeId();
  }

  /** This node's public key. */
  public PublicKey publicKey() {
    return ctx.identity.publicKey();
  }

  /** The address this node receives on (for a dual-stack node, its IPv4 address; see {@link #addresses()}). */
  public PeerAddress address() {
    return ctx.transport.localAddress();
  }

  /** Every address this node receives on: one, or one per family for a dual-stack node, {@link #address()} first. */
  public java.util.List<PeerAddress> addresses() {
    return ctx.transport.localAddresses();
  }

  /** The configuration the node was built with. */
  public DhtConfig config() {
    return ctx.config;
  }

  /**
   * The scheduler the node runs on: its thread and its clock. Layers built on the node (the resolver) run their
   * timers here, so they share the node's thread and, in simulations, its virtual time.
   */
  public Scheduler scheduler() {
    return ctx.scheduler;
  }

  /** The node's counters (live; see {@link #stats()} for a consistent snapshot). */
  public NodeMetrics metrics() {
    return ctx.metrics;
  }

  /**
   * Joins the network through {@code seeds}: pings each with a challenge, admits those that prove their key, then
   * looks up its own id to meet its neighbours. Completes when the node is ready, or fails with
   * {@link ErrorCode#BOOTSTRAP_FAILED} when no seed answered (the node keeps retrying them in the background). An
   * empty list makes this node the first of a new network: ready at once.
   */
  public CompletableFuture<Void> bootstrap(Collection<PeerAddress> seeds) {
    List<PeerAddress> copy = List.copyOf(seeds);
    CompletableFuture<Void> result = new CompletableFuture<>();
    operations.onLoop(result, () -> bootstrap.start(copy, result));
    return result;
  }

  /** Completes once the node has bootstrapped; fails with {@link ErrorCode#CLOSED} if closed first. */
  public CompletableFuture<Void> ready() {
    return bootstrap.ready();
  }

  /** True once the node has bootstrapped. */
  public boolean isReady() {
    return bootstrap.isReady();
  }

  /**
   * Stores {@code record} on the {@linkplain DhtConfig#replication() replication} closest nodes to its key.
   * Fails fast, without sending anything, when the record is invalid ({@link ErrorCode#BAD_SIGNATURE},
   * {@link ErrorCode#EXPIRED}, {@link ErrorCode#EXPIRY_TOO_FAR}); fails with {@link ErrorCode#NOT_STORED} when no
   * node accepted it.
   */
  public CompletableFuture<PutResult> put(SignedRecord record) {
    Objects.requireNonNull(record, "record");
    return operations.run("put " + record.key().shortHex(), ctx.config.operationTimeoutMillis(),
        f -> replicator.start(record, f));
  }

  /** The records under {@code key} held by the k closest nodes (see {@link #get(NodeId, GetOptions)}). */
  public CompletableFuture<GetResult> get(NodeId key) {
    return get(key, GetOptions.all());
  }

  /**
   * Looks up {@code key} and returns the newest valid record of each publisher found. Every record is verified
   * here, whatever the node that sent it claims. An empty result is not an error.
   */
  public CompletableFuture<GetResult> get(NodeId key, GetOptions options) {
    Objects.requireNonNull(key, "key");
    long timeout = options.timeoutMillis() > 0 ? options.timeoutMillis() : ctx.config.operationTimeoutMillis();
    return operations.run("get " + key.shortHex(), timeout, f -> {
      LookupRunner runner = new LookupRunner(ctx, contacts, key, LookupRunner.Kind.FIND_VALUE,
          options.enoughRecords(), outcome -> f.complete(new GetResult(key, outcome.records(), outcome.stats())));
      runner.start();
      return runner::cancel;
    });
  }

  /** The k closest nodes to {@code target} that answered, nearest first. */
  public CompletableFuture<FindResult> findClosest(NodeId target) {
    Objects.requireNonNull(target, "target");
    return operations.run("find " + target.shortHex(), ctx.config.operationTimeoutMillis(), f -> {
      LookupRunner runner = new LookupRunner(ctx, contacts, target, LookupRunner.Kind.FIND_NODE,
          Integer.MAX_VALUE, outcome -> f.complete(new FindResult(target, outcome.closest(), outcome.stats())));
      runner.start();
      return runner::cancel;
    });
  }

  /**
   * Publishes a record signed by {@code publisher} and keeps it alive: it is re-signed with a higher sequence and
   * stored again at half its time to live, until {@link Publication#cancel()} or {@link #close()}.
   *
   * @throws DhtException with {@link ErrorCode#OVERLOADED} when {@link DhtConfig#maxPublications()} are running
   */
  public Publication publish(Identity publisher, NodeId key, int kind, byte[] payload, Duration ttl) {
    return publications.start(publisher, key, kind, payload, ttl);
  }

  /**
   * Watches {@code key}: {@code listener} hears of every new version of a record stored under it, pushed by the
   * nodes that store the key, without polling. The watch looks up the key, subscribes to the
   * {@linkplain DhtConfig#watchFanout() fanout} closest nodes for {@linkplain DhtConfig#subscriptionTtlMillis() a
   * time to live}, and renews with a fresh lookup at half of it, so the subscription follows the closest nodes as the
   * network changes. Records already stored when the watch starts are not passed: {@link #get} them. Works in client
   * mode too.
   *
   * @throws DhtException with {@link ErrorCode#OVERLOADED} when {@link DhtConfig#maxWatches()} watches are running
   */
  public Watch watch(NodeId key, WatchListener listener) {
    return watches.start(key, listener);
  }

  /** A consistent snapshot of the node's state and counters. */
  public CompletableFuture<NodeStats> stats() {
    CompletableFuture<NodeStats> f = new CompletableFuture<>();
    ctx.scheduler.execute(() -> f.complete(new NodeStats(ctx.table.size(), ctx.store.size(),
        ctx.metrics.snapshot(), ctx.rpc.pendingCount(), ctx.rpc.currentTimeoutMillis())));
    return f;
  }

  /**
   * Sets what this node does with the SIGNAL messages it receives: until then it refuses them
   * ({@link SignalHandler#NONE}). The handler runs on the node's thread.
   */
  public void onSignals(SignalHandler handler) {
    server.onSignals(handler);
  }

  /**
   * Sends a SIGNAL: {@code envelope} (64 to {@link org.dialtone.dht.wire.Message#MAX_SIGNAL_BYTES} bytes), byte for
   * byte, to the node with key {@code nodeKey} at {@code to}, once that address has proven the key (see
   * {@link SignalSender}). Completes with empty when that node handed the envelope on, or with its refusal; fails
   * with {@link DhtException}: {@code OVERLOADED}, {@code BAD_SIGNATURE} (the address does not prove the key),
   * {@code TIMEOUT}, {@code CLOSED}.
   */
  public CompletableFuture<Optional<SignalRefusal>> signal(PublicKey nodeKey, PeerAddress to, byte[] envelope) {
    Objects.requireNonNull(nodeKey, "nodeKey");
    Objects.requireNonNull(to, "to");
    if (envelope.length < org.dialtone.dht.wire.Message.MIN_SIGNAL_BYTES
        || envelope.length > org.dialtone.dht.wire.Message.MAX_SIGNAL_BYTES) {
      return CompletableFuture.failedFuture(new DhtException(ErrorCode.PAYLOAD_TOO_LARGE, "a signal envelope is "
          + org.dialtone.dht.wire.Message.MIN_SIGNAL_BYTES + ".."
          + org.dialtone.dht.wire.Message.MAX_SIGNAL_BYTES + " bytes, got " + envelope.length));
    }
    byte[] copy = envelope.clone();
    CompletableFuture<Optional<SignalRefusal>> f = new CompletableFuture<>();
    ctx.scheduler.execute(() -> signalSender.send(nodeKey, to, copy, f));
    return f;
  }

  /** The routing table's contacts, for persistence and diagnostics. */
  public CompletableFuture<List<Contact>> contacts() {
    CompletableFuture<List<Contact>> f = new CompletableFuture<>();
    ctx.scheduler.execute(() -> f.complete(List.copyOf(ctx.table.contacts())));
    return f;
  }

  /** The records this node holds for others (unexpired), for persistence and diagnostics. */
  public CompletableFuture<List<SignedRecord>> storedRecords() {
    CompletableFuture<List<SignedRecord>> f = new CompletableFuture<>();
    ctx.scheduler.execute(() -> f.complete(ctx.store.all(ctx.clock.epochMillis())));
    return f;
  }

  /**
   * Offers contacts known by other means to the routing table, as if each had just proved its key: for reloading a
   * node's saved contacts after a restart (they proved their keys before), and for simulations that build routing
   * tables from global knowledge. A contact that is gone fails its first request and is replaced as usual. Returns
   * how many were inserted.
   */
  public CompletableFuture<Integer> addContacts(Collection<Contact> known) {
    List<Contact> copy = List.copyOf(known);
    CompletableFuture<Integer> f = new CompletableFuture<>();
    ctx.scheduler.execute(() -> {
      int before = ctx.table.size();
      for (Contact c : copy) {
        contacts.offer(c); // the table itself refuses us, duplicates and subnet excess
      }
      f.complete(ctx.table.size() - before);
    });
    return f;
  }

  /**
   * Offers contacts learned from an untrusted source (a HOST record on {@code 744-196884-0}, a peer's gossip) the
   * way every contact gets in: each is pinged with a challenge at its claimed address and enters the routing table
   * only if the answer comes from there signed by its claimed key. Completes with how many were admitted.
   */
  public CompletableFuture<Integer> verifyContacts(Collection<Contact> claimed) {
    List<Contact> copy = List.copyOf(claimed);
    CompletableFuture<Integer> f = new CompletableFuture<>();
    ctx.scheduler.execute(() -> contacts.verify(copy, f::complete));
    return f;
  }

  /**
   * Puts records into this node's own store as if they had been stored by peers (each is verified first), for
   * reloading a node's state after a restart. Returns how many were accepted.
   */
  public CompletableFuture<Integer> restoreRecords(Collection<SignedRecord> records) {
    List<SignedRecord> copy = List.copyOf(records);
    CompletableFuture<Integer> f = new CompletableFuture<>();
    ctx.scheduler.execute(() -> {
      int accepted = 0;
      for (SignedRecord r : copy) {
        PutOutcome outcome = ctx.store.put(r, ctx.clock.epochMillis());
        if (!(outcome instanceof PutOutcome.Refused)) {
          accepted++;
        }
        if (outcome instanceof PutOutcome.Stored) {
          server.afterStored(r);
        }
      }
      f.complete(accepted);
    });
    return f;
  }

  /**
   * Stops the node: fails running operations with {@link ErrorCode#CLOSED}, cancels publications and timers, and
   * closes the transport. Idempotent.
   */
  public CompletableFuture<Void> closeAsync() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    ctx.scheduler.execute(() -> {
      if (!ctx.isClosed()) {
        ctx.markClosed();
        publications.cancelAll();
        watches.closeAll();
        maintenance.cancel();
        DhtException e = new DhtException(ErrorCode.CLOSED, "node closed");
        operations.failAll(e);
        ctx.rpc.close();
        bootstrap.close(e);
        ctx.transport.close();
      }
      f.complete(null);
    });
    return f;
  }

  /** Closes the node and waits for it (see {@link #closeAsync()}). */
  @Override
  public void close() {
    closeAsync().join();
  }

  @Override
  public String toString() {
    return "DhtNode[" + id().shortHex() + " @ " + address() + (ctx.config.clientMode() ? ", client" : "") + "]";
  }
}
