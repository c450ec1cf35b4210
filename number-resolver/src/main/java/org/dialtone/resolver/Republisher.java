package org.dialtone.resolver;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.PutResult;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.time.Scheduler;
import org.dialtone.resolver.record.RecordKind;

/**
 * Keeps an agent's records in the DHT: signs each with a sequence number that only goes up
 * ({@code max(last + 1, now in ms)}, so also across restarts), puts it, and re-signs and puts it again at half its
 * time to live for as long as it is wanted. A failed put is retried sooner. Runs on the node's thread only.
 */
final class Republisher {
  private final DhtNode node;
  private final Scheduler scheduler;
  private final Identity identity;
  private final long ttlSeconds;
  private final Map<NodeId, Long> lastSeq = new HashMap<>();
  // Bumped whenever a key is published anew or stopped, so a renewal scheduled for an older version does nothing.
  private final Map<NodeId, Long> generation = new HashMap<>();
  private final Map<NodeId, Cancellable> timers = new HashMap<>();

  Republisher(DhtNode node, Scheduler scheduler, Identity identity, Duration ttl) {
    this.node = node;
    this.scheduler = scheduler;
    this.identity = identity;
    this.ttlSeconds = ttl.toSeconds();
  }

  /**
   * Publishes {@code payload} under {@code key} now, replacing what this agent had there, and keeps it alive when
   * {@code keepAlive}. The future is that of the first put.
   */
  CompletableFuture<PutResult> publish(NodeId key, RecordKind kind, byte[] payload, boolean keepAlive) {
    stop(key);
    long gen = generation.get(key);
    long now = scheduler.clock().epochMillis();
    long seq = Math.max(lastSeq.getOrDefault(key, 0L) + 1, now);
    lastSeq.put(key, seq);
    SignedRecord record = SignedRecord.sign(identity, key, kind.code(), seq, now / 1000 + ttlSeconds, payload);
    CompletableFuture<PutResult> put = node.put(record);
    if (keepAlive) {
      put.whenComplete((r, e) -> scheduler.execute(() -> {
        if (generation.get(key) == gen) {
          long delay = e == null ? ttlSeconds * 500 : Math.max(1000, ttlSeconds * 125);
          timers.put(key, scheduler.schedule(delay, () -> {
            if (generation.get(key) == gen) {
              publish(key, kind, payload, true);
            }
          }));
        }
      }));
      timers.put(key, () -> { });
    }
    return put;
  }

  /** Stops keeping {@code key} alive; what is stored expires on its own. */
  void stop(NodeId key) {
    generation.merge(key, 1L, Long::sum);
    Cancellable t = timers.remove(key);
    if (t != null) {
      t.cancel();
    }
  }

  /** Stops everything. */
  void stopAll() {
    for (NodeId key : java.util.List.copyOf(timers.keySet())) {
      stop(key);
    }
  }

  /** True while {@code key} is kept alive. */
  boolean isKept(NodeId key) {
    return timers.containsKey(key);
  }
}
