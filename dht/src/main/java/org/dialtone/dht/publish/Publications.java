package org.dialtone.dht.publish;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.dialtone.dht.api.Publication;
import org.dialtone.dht.api.PutResult;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.time.Scheduler;

/**
 * Keeps published records alive: each is re-signed with a higher sequence and a fresh expiry and stored again at
 * half its time to live, so it never lapses while its publisher runs and lapses soon after it stops. A failed
 * republish is retried sooner. Bounded by {@link DhtConfig#maxPublications()}.
 *
 * <p>Sequence numbers are {@code max(previous + 1, now in epoch milliseconds)}: always increasing, also across
 * restarts of the publisher, without storing a counter.
 */
public final class Publications {
  private static final System.Logger LOG = System.getLogger(Publications.class.getName());

  private final Function<SignedRecord, CompletableFuture<PutResult>> put;
  private final Scheduler scheduler;
  private final int max;
  private final Set<Entry> running = new LinkedHashSet<>(); // ordered: simulations replay exactly

  /** @param put stores a record on the closest nodes (the node's put) */
  public Publications(Function<SignedRecord, CompletableFuture<PutResult>> put, Scheduler scheduler, int max) {
    this.put = put;
    this.scheduler = scheduler;
    this.max = max;
  }

  public Publication start(Identity publisher, NodeId key, int kind, byte[] payload, Duration ttl) {
    Objects.requireNonNull(publisher);
    Objects.requireNonNull(key);
    if (ttl.toSeconds() < 2) {
      throw new IllegalArgumentException("ttl must be at least 2 s, got " + ttl);
    }
    Entry e = new Entry(publisher, key, kind, payload.clone(), ttl.toSeconds());
    synchronized (running) {
      if (running.size() >= max) {
        throw new DhtException(ErrorCode.OVERLOADED, max + " publications already running");
      }
      running.add(e);
    }
    scheduler.execute(e::publish);
    return e;
  }

  public void cancelAll() {
    Entry[] all;
    synchronized (running) {
      all = running.toArray(new Entry[0]);
    }
    for (Entry e : all) {
      e.cancel();
    }
  }

  private final class Entry implements Publication {
    final Identity publisher;
    final NodeId key;
    final int kind;
    final byte[] payload;
    final long ttlSeconds;
    final CompletableFuture<PutResult> first = new CompletableFuture<>();
    volatile long seq;
    volatile boolean cancelled;
    Cancellable next;

    Entry(Identity publisher, NodeId key, int kind, byte[] payload, long ttlSeconds) {
      this.publisher = publisher;
      this.key = key;
      this.kind = kind;
      this.payload = payload;
      this.ttlSeconds = ttlSeconds;
    }

    void publish() {
      if (cancelled) {
        return;
      }
      long nowMillis = scheduler.clock().epochMillis();
      seq = Math.max(seq + 1, nowMillis);
      SignedRecord record =
          SignedRecord.sign(publisher, key, kind, seq, nowMillis / 1000 + ttlSeconds, payload);
      put.apply(record).whenComplete((result, error) -> {
        if (result != null) {
          first.complete(result);
        } else {
          first.completeExceptionally(error);
          LOG.log(Level.DEBUG, "republish of {0} failed: {1}", key.shortHex(), error.getMessage());
        }
        scheduleNext(result != null ? ttlSeconds * 1000 / 2 : Math.max(1000, ttlSeconds * 1000 / 8));
      });
    }

    void scheduleNext(long delayMillis) {
      scheduler.execute(() -> {
        if (!cancelled) {
          next = scheduler.schedule(delayMillis, this::publish);
        }
      });
    }

    @Override
    public NodeId key() {
      return key;
    }

    @Override
    public CompletableFuture<PutResult> firstPut() {
      return first;
    }

    @Override
    public long currentSeq() {
      return seq;
    }

    @Override
    public void cancel() {
      cancelled = true;
      synchronized (running) {
        running.remove(this);
      }
      scheduler.execute(() -> {
        if (next != null) {
          next.cancel();
        }
      });
    }
  }
}
