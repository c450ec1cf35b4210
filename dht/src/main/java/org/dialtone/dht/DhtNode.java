package org.dialtone.dht;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.dialtone.dht.NodeMetrics.Counter;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.PutOutcome;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.rpc.RequestLimiter;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.time.Scheduler;
import org.dialtone.dht.transport.Transport;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.DecodeException;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.Message.Ping;
import org.dialtone.dht.wire.Message.Store;
import org.dialtone.dht.wire.MessageCodec;
import org.dialtone.dht.wire.NodeInfo;

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
  private static final System.Logger LOG = System.getLogger(DhtNode.class.getName());

  private final NodeContext ctx;
  private final QueryServer server;
  private final Contacts contacts;
  private final RequestLimiter rateLimiter;
  private final Publications publications;
  private final Watches watches;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Set<CompletableFuture<?>> active = new LinkedHashSet<>(); // ordered: simulations replay exactly
  private List<PeerAddress> seeds = List.of();
  private Cancellable maintenance;
  private boolean bootstrapping;
  private volatile boolean closed;

  private DhtNode(DhtConfig config, Identity identity, Transport transport, Scheduler scheduler, Random random) {
    NodeMetrics metrics = new NodeMetrics();
    this.ctx = new NodeContext(config, identity, new CountingTransport(transport, metrics), scheduler, random,
        metrics);
    this.contacts = new Contacts(ctx);
    this.watches = new Watches(ctx, contacts);
    this.server = new QueryServer(ctx, watches);
    this.rateLimiter =
        new RequestLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), config.rateLimitTrackedAddresses(),
            config.routing().subnetLimitsForAllAddresses());
    this.publications = new Publications(this, scheduler, config.maxPublications());
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
    transport.onReceive(node::onDatagram);
    scheduler.execute(node::scheduleMaintenance);
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

  /** The address this node receives on. */
  public PeerAddress address() {
    return ctx.transport.localAddress();
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
    onLoop(result, () -> {
      this.seeds = copy;
      runBootstrap(result, 1);
    });
    return result;
  }

  /** Completes once the node has bootstrapped; fails with {@link ErrorCode#CLOSED} if closed first. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** True once the node has bootstrapped. */
  public boolean isReady() {
    return ready.isDone() && !ready.isCompletedExceptionally();
  }

  /**
   * Stores {@code record} on the {@linkplain DhtConfig#replication() replication} closest nodes to its key.
   * Fails fast, without sending anything, when the record is invalid ({@link ErrorCode#BAD_SIGNATURE},
   * {@link ErrorCode#EXPIRED}, {@link ErrorCode#EXPIRY_TOO_FAR}); fails with {@link ErrorCode#NOT_STORED} when no
   * node accepted it.
   */
  public CompletableFuture<PutResult> put(SignedRecord record) {
    Objects.requireNonNull(record, "record");
    return operation("put " + record.key().shortHex(), ctx.config.operationTimeoutMillis(), f -> {
      Optional<ErrorCode> invalid =
          record.check(record.key(), ctx.clock.epochMillis(), ctx.config.store().maxTtlSeconds());
      if (invalid.isPresent()) {
        f.completeExceptionally(new DhtException(invalid.get(), "refusing to put an invalid record " + record));
        return () -> { };
      }
      LookupRunner runner = new LookupRunner(ctx, contacts, record.key(), LookupRunner.Kind.FIND_NODE,
          Integer.MAX_VALUE, outcome -> storeOnClosest(record, outcome, f));
      runner.start();
      return runner::cancel;
    });
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
    return operation("get " + key.shortHex(), timeout, f -> {
      LookupRunner runner = new LookupRunner(ctx, contacts, key, LookupRunner.Kind.FIND_VALUE,
          options.enoughRecords(), outcome -> f.complete(new GetResult(key, outcome.records(), outcome.stats())));
      runner.start();
      return runner::cancel;
    });
  }

  /** The k closest nodes to {@code target} that answered, nearest first. */
  public CompletableFuture<FindResult> findClosest(NodeId target) {
    Objects.requireNonNull(target, "target");
    return operation("find " + target.shortHex(), ctx.config.operationTimeoutMillis(), f -> {
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
      if (!closed) {
        closed = true;
        publications.cancelAll();
        watches.closeAll();
        if (maintenance != null) {
          maintenance.cancel();
        }
        DhtException e = new DhtException(ErrorCode.CLOSED, "node closed");
        for (CompletableFuture<?> op : List.copyOf(active)) {
          op.completeExceptionally(e);
        }
        ctx.rpc.close();
        ready.completeExceptionally(e);
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

  // ---- datagrams ----

  private void onDatagram(PeerAddress from, byte[] datagram) {
    NodeMetrics m = ctx.metrics;
    m.inc(Counter.DATAGRAMS_IN);
    m.add(Counter.BYTES_IN, datagram.length);
    ctx.guard.onReceived(from, datagram.length, ctx.clock.monotonicMillis());
    try {
      Message message;
      try {
        message = MessageCodec.decode(datagram);
      } catch (DecodeException e) {
        m.inc(switch (e.reason()) {
          case TOO_LARGE -> Counter.DROPPED_OVERSIZED;
          case UNSUPPORTED_VERSION -> Counter.DROPPED_UNSUPPORTED_VERSION;
          default -> Counter.DROPPED_MALFORMED;
        });
        return;
      }
      if (message instanceof Message.Response response) {
        if (ctx.rpc.onResponse(from, response)) {
          ctx.guard.markProven(from, ctx.clock.monotonicMillis()); // it received our request: a round trip
        } else {
          m.inc(Counter.DROPPED_UNSOLICITED);
        }
        return;
      }
      Message.Request request = (Message.Request) message;
      // A client accepts NOTIFY (how its watches hear of new records) and PING (how a node it asks proves that the
      // client receives, before answering it in full).
      boolean notify = request instanceof Message.Notify;
      if (closed || ctx.config.clientMode() && !notify && !(request instanceof Ping)) {
        m.inc(Counter.DROPPED_NOT_SERVING);
        return;
      }
      if (!rateLimiter.tryAcquire(from, ctx.clock.nanoTime())) {
        m.inc(Counter.DROPPED_RATE_LIMITED);
        return;
      }
      if (notify) {
        if (!watches.onNotify(from, (Message.Notify) request)) {
          m.inc(Counter.DROPPED_NOT_SERVING); // not a key watched here: no reply, so no amplification
          return;
        }
      } else {
        server.handle(from, request);
      }
      contacts.onInboundRequest(request.sender(), from);
    } catch (RuntimeException e) {
      m.inc(Counter.DROPPED_INTERNAL_ERROR);
      LOG.log(Level.WARNING, "dropped a datagram from " + from + " after an internal error", e);
    }
  }

  // ---- operations ----

  /**
   * Runs {@code start} on the node's thread with a deadline. {@code start} begins the work and returns what stops
   * it; that runs on timeout, on cancellation by the caller, and never twice.
   */
  private <T> CompletableFuture<T> operation(
      String what, long timeoutMillis, Function<CompletableFuture<T>, Runnable> start) {
    CompletableFuture<T> f = new CompletableFuture<>();
    onLoop(f, () -> {
      active.add(f);
      Runnable stop = start.apply(f);
      Cancellable timer = ctx.scheduler.schedule(timeoutMillis, () -> f.completeExceptionally(
          new DhtException(ErrorCode.TIMEOUT, what + " did not finish within " + timeoutMillis + " ms")));
      f.whenComplete((v, e) -> {
        timer.cancel();
        ctx.scheduler.execute(() -> {
          active.remove(f);
          stop.run();
        });
      });
    });
    return f;
  }

  private void onLoop(CompletableFuture<?> f, Runnable body) {
    ctx.scheduler.execute(() -> {
      if (f.isDone()) {
        return; // cancelled before it started
      }
      if (closed) {
        f.completeExceptionally(new DhtException(ErrorCode.CLOSED, "node is closed"));
        return;
      }
      try {
        body.run();
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
  }

  private void storeOnClosest(SignedRecord record, LookupRunner.Outcome outcome, CompletableFuture<PutResult> f) {
    if (f.isDone()) {
      return;
    }
    int replication = ctx.config.replication();
    List<NodeInfo> targets = new ArrayList<>();
    for (NodeInfo n : outcome.closest()) {
      if (targets.size() < replication && outcome.tokens().containsKey(n.id())) {
        targets.add(n);
      }
    }
    int localReplicas = 0;
    boolean selfIsClose = targets.size() < replication
        || record.key().compareDistance(id(), targets.get(targets.size() - 1).id()) < 0;
    if (!ctx.config.clientMode() && selfIsClose) {
      PutOutcome stored = ctx.store.put(record, ctx.clock.epochMillis());
      if (stored instanceof PutOutcome.Stored) {
        server.afterStored(record);
      }
      if (!(stored instanceof PutOutcome.Refused)) {
        localReplicas = 1;
        if (targets.size() >= replication) {
          targets.remove(targets.size() - 1);
        }
      }
    }
    StoreTally tally = new StoreTally(record, outcome, targets.size(), localReplicas, f);
    for (NodeInfo n : targets) {
      Blob token = outcome.tokens().get(n.id());
      ctx.rpc.send(n.address(), tx -> new Store(tx, ctx.senderKey(), token, record))
          .whenComplete((reply, error) -> tally.onReply(n, reply, error));
    }
    tally.finishIfDone();
  }

  /** Counts the answers to a put's STOREs and completes the put when the last one is in. */
  private final class StoreTally {
    final SignedRecord record;
    final LookupRunner.Outcome outcome;
    final CompletableFuture<PutResult> future;
    final Map<ErrorCode, Integer> refusals = new EnumMap<>(ErrorCode.class);
    int outstanding;
    int replicas;
    int messages;

    StoreTally(SignedRecord record, LookupRunner.Outcome outcome, int outstanding, int replicas,
        CompletableFuture<PutResult> future) {
      this.record = record;
      this.outcome = outcome;
      this.outstanding = outstanding;
      this.replicas = replicas;
      this.future = future;
      this.messages = outcome.stats().messages();
    }

    void onReply(NodeInfo n, org.dialtone.dht.rpc.Rpc.Reply reply, Throwable error) {
      outstanding--;
      if (reply == null) {
        messages += ctx.config.rpc().maxRetries() + 1;
        refusals.merge(ErrorCode.TIMEOUT, 1, Integer::sum);
        contacts.onFailure(n.id());
      } else {
        messages += reply.transmissions();
        if (reply.response() instanceof Message.StoreAck) {
          replicas++;
        } else if (reply.response() instanceof Message.ErrorReply err) {
          refusals.merge(err.code(), 1, Integer::sum);
        }
      }
      finishIfDone();
    }

    void finishIfDone() {
      if (outstanding > 0 || future.isDone()) {
        return;
      }
      if (replicas == 0) {
        future.completeExceptionally(new DhtException(ErrorCode.NOT_STORED,
            "no node stored " + record + " (closest found: " + outcome.closest().size() + ", refusals: " + refusals
                + ")"));
      } else {
        future.complete(new PutResult(record.key(), replicas, refusals, outcome.stats(), messages));
      }
    }
  }

  // ---- bootstrap and maintenance ----

  // Seed pings get more tries than ordinary requests: failing to join is worse than a slow join.
  private static final int BOOTSTRAP_ROUNDS = 3;

  private void runBootstrap(CompletableFuture<Void> result, int round) {
    if (seeds.isEmpty()) {
      markReady();
      result.complete(null);
      return;
    }
    bootstrapping = true;
    int[] remaining = {seeds.size()};
    for (PeerAddress seed : seeds) {
      byte[] challenge = ctx.newChallenge();
      ctx.rpc.send(seed, tx -> new Ping(tx, ctx.senderKey(), Optional.of(Blob.of(challenge))))
          .whenComplete((reply, error) -> {
            if (reply != null) {
              contacts.onReply(seed, reply.response(), Optional.of(challenge));
            }
            if (--remaining[0] == 0) {
              afterSeedPings(result, round);
            }
          });
    }
  }

  private void afterSeedPings(CompletableFuture<Void> result, int round) {
    if (closed) {
      result.completeExceptionally(new DhtException(ErrorCode.CLOSED, "node closed"));
      return;
    }
    if (ctx.table.size() == 0 && round < BOOTSTRAP_ROUNDS) {
      runBootstrap(result, round + 1);
      return;
    }
    if (ctx.table.size() == 0) {
      bootstrapping = false;
      result.completeExceptionally(new DhtException(ErrorCode.BOOTSTRAP_FAILED,
          "none of the " + seeds.size() + " bootstrap nodes answered with a valid key after " + round
            + " rounds: " + seeds));
      return;
    }
    selfLookup(result, 1);
  }

  // Meets the neighbours. A self-lookup that lost replies and found fewer than k nodes may have stopped short of
  // our neighbourhood, leaving us unknown to it: it is repeated, a few times at most.
  private void selfLookup(CompletableFuture<Void> result, int round) {
    new LookupRunner(ctx, contacts, id(), LookupRunner.Kind.FIND_NODE, Integer.MAX_VALUE, outcome -> {
      boolean shortOfNeighbours = outcome.stats().failed() > 0 && outcome.closest().size() < ctx.config.k();
      if (shortOfNeighbours && round < BOOTSTRAP_ROUNDS && !closed) {
        selfLookup(result, round + 1);
        return;
      }
      refreshFartherBuckets(() -> {
        bootstrapping = false;
        markReady();
        result.complete(null);
      });
    }).start();
  }

  /**
   * The join's last step (Kademlia, section 2.3): a short lookup into every bucket farther than our closest
   * neighbour that has room. The self-lookup only meets nodes near us; without this, a node and its neighbours can
   * all lack the same far region of the keyspace and route around it forever. The nodes queried also learn of us.
   */
  private void refreshFartherBuckets(Runnable then) {
    List<Contact> nearest = ctx.table.closest(id(), 1);
    int limit = nearest.isEmpty() ? 0 : Math.min(ctx.table.bucketIndexOf(nearest.get(0).id()), 255);
    List<Integer> buckets = new ArrayList<>();
    for (int i = 0; i < limit; i++) {
      if (ctx.table.bucketSize(i) < ctx.config.k()) {
        buckets.add(i);
      }
    }
    if (buckets.isEmpty()) {
      then.run();
      return;
    }
    int[] remaining = {buckets.size()};
    int budget = Math.max(ctx.config.alpha(), ctx.config.k() / 2);
    for (int bucket : buckets) {
      NodeId target = id().randomWithCommonPrefix(bucket, ctx.random);
      new LookupRunner(ctx, contacts, target, LookupRunner.Kind.FIND_NODE, Integer.MAX_VALUE, budget, o -> {
        if (--remaining[0] == 0) {
          then.run();
        }
      }).start();
    }
  }

  private void markReady() {
    if (!ready.isDone()) {
      LOG.log(Level.DEBUG, "{0} ready with {1} contacts", this, ctx.table.size());
      ready.complete(null);
    }
  }

  private void scheduleMaintenance() {
    if (closed) {
      return;
    }
    long interval = ctx.config.maintenanceIntervalMillis();
    long jitter = (long) (interval * 0.2 * ctx.random.nextDouble());
    maintenance = ctx.scheduler.schedule(interval - interval / 10 + jitter, () -> {
      try {
        maintain();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "maintenance failed on " + this, e);
      }
      scheduleMaintenance();
    });
  }

  private void maintain() {
    ctx.store.purgeExpired(ctx.clock.epochMillis());
    ctx.subscriptions.purgeExpired(ctx.clock.monotonicMillis());
    if (ctx.table.size() == 0 && !seeds.isEmpty() && !bootstrapping) {
      runBootstrap(new CompletableFuture<>(), 1); // lost every contact: start over from the seeds
      return;
    }
    if (!isReady()) {
      return;
    }
    if (ctx.table.size() < ctx.config.k()) {
      // Still short of contacts (a lossy join, or a small network that grew): look for our neighbours again.
      new LookupRunner(ctx, contacts, id(), LookupRunner.Kind.FIND_NODE, Integer.MAX_VALUE, o -> { }).start();
    }
    int refreshed = 0;
    for (int bucket : ctx.table.bucketsNeedingRefresh(ctx.clock.monotonicMillis(), ctx.config.bucketRefreshMillis())) {
      if (refreshed++ >= 2) {
        break; // a few per round keeps maintenance traffic flat; the rest wait for the next round
      }
      NodeId target = id().randomWithCommonPrefix(bucket, ctx.random);
      new LookupRunner(ctx, contacts, target, LookupRunner.Kind.FIND_NODE, Integer.MAX_VALUE, o -> { }).start();
    }
  }

  /** Counts what the node sends. */
  private static final class CountingTransport implements Transport {
    private final Transport inner;
    private final NodeMetrics metrics;

    CountingTransport(Transport inner, NodeMetrics metrics) {
      this.inner = inner;
      this.metrics = metrics;
    }

    @Override
    public PeerAddress localAddress() {
      return inner.localAddress();
    }

    @Override
    public void send(PeerAddress to, byte[] datagram) {
      metrics.inc(Counter.DATAGRAMS_OUT);
      metrics.add(Counter.BYTES_OUT, datagram.length);
      inner.send(to, datagram);
    }

    @Override
    public void onReceive(DatagramHandler handler) {
      inner.onReceive(handler);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
