package org.dialtone.dht.watch;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.api.Watch;
import org.dialtone.dht.api.WatchListener;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.node.Contacts;
import org.dialtone.dht.node.LookupRunner;
import org.dialtone.dht.node.NodeContext;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.rpc.Rpc;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message.Notify;
import org.dialtone.dht.wire.Message.Subscribe;
import org.dialtone.dht.wire.Message.Subscribed;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;

/**
 * The watching side of watches. Each watch runs rounds: a FIND_NODE lookup of the key (which also collects write
 * tokens), then a SUBSCRIBE to the {@linkplain DhtConfig#watchFanout() fanout} closest nodes that handed us a token;
 * the next round runs at half the time to live granted (sooner after a round that no node accepted), so churn moves
 * the subscription to the nodes that are closest now. NOTIFYs for watched keys are verified, deduplicated per watch
 * by (publisher, seq), passed to the listeners and acknowledged.
 *
 * <p>The count of watches is bounded by {@link DhtConfig#maxWatches()} and checked on the caller's thread, as for
 * publications; everything else runs on the node's thread.
 */
public final class Watches {
  private static final System.Logger LOG = System.getLogger(Watches.class.getName());
  /** Publishers whose highest sequence one watch remembers; the least recently updated is forgotten first. */
  public static final int MAX_PUBLISHERS_PER_WATCH = 1024;
  /** The soonest a round follows the previous one. */
  private static final long MIN_ROUND_INTERVAL_MILLIS = 1_000;

  private final NodeContext ctx;
  private final Contacts contacts;
  private final Set<Entry> running = new LinkedHashSet<>(); // guarded by itself; the bound, on any thread
  private final Map<NodeId, List<Entry>> byKey = new LinkedHashMap<>(); // node thread; ordered: exact replay
  private boolean closed; // node thread

  public Watches(NodeContext ctx, Contacts contacts) {
    this.ctx = ctx;
    this.contacts = contacts;
  }

  public Watch start(NodeId key, WatchListener listener) {
    Entry e = new Entry(Objects.requireNonNull(key, "key"), Objects.requireNonNull(listener, "listener"));
    synchronized (running) {
      if (running.size() >= ctx.config.maxWatches()) {
        throw new DhtException(ErrorCode.OVERLOADED, ctx.config.maxWatches() + " watches already running");
      }
      running.add(e);
    }
    ctx.scheduler.execute(e::begin);
    return e;
  }

  /** True when this node watches {@code key} (node thread). */
  public boolean isWatched(NodeId key) {
    return byKey.containsKey(key);
  }

  /**
   * A NOTIFY arrived. Returns false, and sends nothing, when its key is not watched here (the caller counts the drop:
   * answering would let anyone bounce datagrams off this node). Otherwise the record is verified: a bad one is
   * refused with its code; a good one goes to the listeners that have not seen that version, and is acknowledged.
   */
  public boolean onNotify(PeerAddress from, Notify n) {
    SignedRecord r = n.record();
    if (!isWatched(r.key())) {
      return false;
    }
    ctx.metrics.inc(Counter.REQUESTS_SERVED);
    Optional<ErrorCode> invalid = r.check(r.key(), ctx.clock.epochMillis(), ctx.config.store().maxTtlSeconds());
    if (invalid.isPresent()) {
      ctx.metrics.inc(Counter.RECORDS_REJECTED);
      ctx.reply(from, MessageCodec.encode(new Message.ErrorReply(n.txId(), ctx.identity.publicKey(), Optional.empty(),
          invalid.get(), "refusing the record in a notification: " + invalid.get())));
      return true;
    }
    ctx.metrics.inc(Counter.NOTIFICATIONS_RECEIVED);
    deliver(r);
    ctx.reply(from, MessageCodec.encode(new Message.NotifyAck(n.txId(), ctx.identity.publicKey())));
    return true;
  }

  /**
   * A record this node's own store accepted (verified there): the listeners of its key hear of it too, since a node
   * never subscribes to itself.
   */
  public void deliver(SignedRecord r) {
    List<Entry> entries = byKey.get(r.key());
    if (entries == null) {
      return;
    }
    for (Entry e : List.copyOf(entries)) {
      e.offer(r);
    }
  }

  /** Stops every watch without telling the storing nodes (the node is closing); their futures fail CLOSED. */
  public void closeAll() {
    closed = true;
    Entry[] all;
    synchronized (running) {
      all = running.toArray(new Entry[0]);
      running.clear();
    }
    for (Entry e : all) {
      e.cancelled = true;
      e.stop(new DhtException(ErrorCode.CLOSED, "node closed"), false);
    }
  }

  /** Watches running. */
  public int size() {
    synchronized (running) {
      return running.size();
    }
  }

  private final class Entry implements Watch {
    final NodeId key;
    final WatchListener listener;
    final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    // Highest sequence passed to the listener, per publisher; access order, so the stalest goes first.
    final LinkedHashMap<PublicKey, Long> seen = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<PublicKey, Long> eldest) {
        return size() > MAX_PUBLISHERS_PER_WATCH;
      }
    };
    volatile boolean cancelled;
    volatile int subscribedNodes;
    // Node thread only:
    boolean started;
    boolean stopped;
    Map<NodeInfo, Blob> holders = Map.of(); // remote nodes that accepted in the latest round, with their tokens
    LookupRunner lookup;
    Cancellable timer;

    Entry(NodeId key, WatchListener listener) {
      this.key = key;
      this.listener = listener;
    }

    @Override
    public NodeId key() {
      return key;
    }

    @Override
    public CompletableFuture<Void> subscribed() {
      return subscribed;
    }

    @Override
    public int subscribedNodes() {
      return subscribedNodes;
    }

    @Override
    public void cancel() {
      if (cancelled) {
        return;
      }
      cancelled = true;
      synchronized (running) {
        running.remove(this);
      }
      ctx.scheduler.execute(() -> stop(new DhtException(ErrorCode.CANCELLED, "watch cancelled"), true));
    }

    void begin() {
      if (closed) {
        cancelled = true;
        synchronized (running) {
          running.remove(this);
        }
        subscribed.completeExceptionally(new DhtException(ErrorCode.CLOSED, "node is closed"));
        return;
      }
      if (cancelled) {
        stop(new DhtException(ErrorCode.CANCELLED, "watch cancelled"), false);
        return;
      }
      started = true;
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(this);
      round();
    }

    void stop(DhtException why, boolean unsubscribe) {
      if (stopped) {
        return;
      }
      stopped = true;
      subscribedNodes = 0;
      if (timer != null) {
        timer.cancel();
      }
      if (lookup != null) {
        lookup.cancel();
      }
      subscribed.completeExceptionally(why); // no effect when already complete
      if (!started) {
        return;
      }
      List<Entry> entries = byKey.get(key);
      if (entries != null) {
        entries.remove(this);
        if (entries.isEmpty()) {
          byKey.remove(key);
        }
      }
      if (unsubscribe && !byKey.containsKey(key)) {
        // Best effort: a time to live of 0 ends the subscription; a node that misses it lets it expire.
        for (Map.Entry<NodeInfo, Blob> h : holders.entrySet()) {
          ctx.rpc.send(h.getKey().address(), tx -> new Subscribe(tx, ctx.senderKey(), key, h.getValue(), 0));
        }
      }
      holders = Map.of();
    }

    void offer(SignedRecord r) {
      if (cancelled) {
        return;
      }
      Long highest = seen.get(r.publisher());
      if (highest != null && r.seq() <= highest) {
        return;
      }
      seen.put(r.publisher(), r.seq());
      try {
        listener.onRecord(r);
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "a watch listener of " + key.shortHex() + " threw", ex);
      }
    }

    void round() {
      if (stopped) {
        return;
      }
      timer = null;
      lookup = new LookupRunner(ctx, contacts, key, LookupRunner.Kind.FIND_NODE, Integer.MAX_VALUE,
          this::subscribeTo);
      lookup.start();
    }

    void subscribeTo(LookupRunner.Outcome outcome) {
      lookup = null;
      if (stopped) {
        return;
      }
      int fanout = ctx.config.watchFanout();
      List<NodeInfo> targets = new ArrayList<>();
      for (NodeInfo n : outcome.closest()) {
        Blob token = outcome.tokens().get(n.id());
        if (targets.size() < fanout && token != null && token.size() > 0) {
          targets.add(n);
        }
      }
      // This node stores what it is among the closest for, and its store tells its own watches.
      boolean self = !ctx.config.clientMode() && (targets.size() < fanout
          || key.compareDistance(ctx.identity.nodeId(), targets.get(targets.size() - 1).id()) < 0);
      if (self && targets.size() >= fanout) {
        targets.remove(targets.size() - 1);
      }
      Round round = new Round(targets.size(), self);
      int ttlSeconds = (int) (ctx.config.subscriptionTtlMillis() / 1000);
      for (NodeInfo n : targets) {
        Blob token = outcome.tokens().get(n.id());
        ctx.rpc.send(n.address(), tx -> new Subscribe(tx, ctx.senderKey(), key, token, ttlSeconds))
            .whenComplete((reply, error) -> round.onReply(n, token, reply, error));
      }
      round.finishIfDone();
    }

    /** The answers to one round's SUBSCRIBEs. */
    final class Round {
      final boolean self;
      final Map<NodeInfo, Blob> accepted = new LinkedHashMap<>();
      final Map<ErrorCode, Integer> refusals = new EnumMap<>(ErrorCode.class);
      int outstanding;
      long grantedMillis = ctx.config.subscriptionTtlMillis();

      Round(int outstanding, boolean self) {
        this.outstanding = outstanding;
        this.self = self;
      }

      void onReply(NodeInfo n, Blob token, Rpc.Reply reply, Throwable error) {
        outstanding--;
        if (reply == null) {
          refusals.merge(codeOf(error), 1, Integer::sum);
          contacts.onFailure(n.id());
        } else if (reply.response() instanceof Subscribed s && s.responder().nodeId().equals(n.id())
            && s.ttlSeconds() > 0) {
          accepted.put(n, token);
          grantedMillis = Math.min(grantedMillis, s.ttlSeconds() * 1000L);
        } else if (reply.response() instanceof Message.ErrorReply err) {
          refusals.merge(err.code(), 1, Integer::sum);
        } else {
          refusals.merge(ErrorCode.INVALID_RECORD, 1, Integer::sum); // a wrong kind of reply, or a 0 ttl
        }
        finishIfDone();
      }

      void finishIfDone() {
        if (outstanding > 0 || stopped) {
          return;
        }
        int nodes = accepted.size() + (self ? 1 : 0);
        subscribedNodes = nodes;
        holders = new LinkedHashMap<>(accepted);
        long next;
        if (nodes > 0) {
          subscribed.complete(null);
          next = grantedMillis / 2;
        } else {
          boolean allTimedOut = !refusals.isEmpty() && refusals.keySet().equals(Set.of(ErrorCode.TIMEOUT));
          subscribed.completeExceptionally(new DhtException(
              allTimedOut ? ErrorCode.TIMEOUT : ErrorCode.NOT_STORED,
              "no node accepted the watch of " + key.shortHex() + " (refusals: " + refusals + ")"));
          next = ctx.config.subscriptionTtlMillis() / 8; // try again sooner
        }
        timer = ctx.scheduler.schedule(Math.max(MIN_ROUND_INTERVAL_MILLIS, next), Entry.this::round);
      }
    }
  }

  private static ErrorCode codeOf(Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    return cause instanceof DhtException e ? e.code() : ErrorCode.TIMEOUT;
  }
}
