package org.dialtone.dht.node;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;

/**
 * The storing side of watches: which addresses asked to be told about new records under which keys, until when.
 * A plain bounded table: no I/O, time passed in (monotonic milliseconds). The node sends the NOTIFYs.
 *
 * <p>Bounds: subscribers per key, keys per subscriber address, and subscriptions in total. A new subscription over a
 * bound is refused (the subscriber is told {@link ErrorCode#OVERLOADED}); nothing that is already held is evicted
 * for it, so a flood of subscriptions cannot push out the ones that were there first. A refresh from the same address
 * only moves the expiry. Expired entries are dropped lazily (when their key or address is touched) and by
 * {@link #purgeExpired}. A subscriber that fails {@link #MAX_FAILURES} NOTIFYs in a row is dropped.
 *
 * <p>Single-threaded: the node's thread owns it.
 */
public final class Subscriptions {
  /** Subscribers of one key. */
  public static final int DEFAULT_MAX_PER_KEY = 64;
  /** Keys one subscriber address may watch on this node. */
  public static final int DEFAULT_MAX_PER_ADDRESS = 32;
  /** Subscriptions in total. */
  public static final int DEFAULT_MAX_TOTAL = 4096;
  /** The longest subscription granted, in seconds. */
  public static final int MAX_TTL_SECONDS = (int) (DhtConfig.MAX_SUBSCRIPTION_TTL_MILLIS / 1000);
  /**
   * NOTIFYs in a row (each with its retransmissions) that may time out before the subscriber is dropped. More than
   * one, so that a lossy link does not cost a watcher its subscription on the first lost exchange.
   */
  public static final int MAX_FAILURES = 3;

  /** What {@link #subscribe} did. */
  public enum Result {
    /** A new subscription. */
    ADDED,
    /** The address was subscribed already: its expiry moved. */
    REFRESHED,
    /** Refused: the key has as many subscribers as allowed. */
    KEY_FULL,
    /** Refused: the address watches as many keys here as allowed. */
    ADDRESS_FULL,
    /** Refused: the table is full. */
    FULL;

    boolean accepted() {
      return this == ADDED || this == REFRESHED;
    }
  }

  private static final class Entry {
    long expiresAt;
    int failures;

    Entry(long expiresAt) {
      this.expiresAt = expiresAt;
    }
  }

  private final int maxPerKey;
  private final int maxPerAddress;
  private final int maxTotal;
  // Ordered maps throughout: simulations replay exactly.
  private final Map<NodeId, LinkedHashMap<PeerAddress, Entry>> byKey = new LinkedHashMap<>();
  private final Map<PeerAddress, LinkedHashSet<NodeId>> keysByAddress = new LinkedHashMap<>();
  private int total;

  public Subscriptions() {
    this(DEFAULT_MAX_PER_KEY, DEFAULT_MAX_PER_ADDRESS, DEFAULT_MAX_TOTAL);
  }

  public Subscriptions(int maxPerKey, int maxPerAddress, int maxTotal) {
    if (maxPerKey < 1 || maxPerAddress < 1 || maxTotal < 1) {
      throw new IllegalArgumentException("bounds must be positive");
    }
    this.maxPerKey = maxPerKey;
    this.maxPerAddress = maxPerAddress;
    this.maxTotal = maxTotal;
  }

  /** The time to live granted for a request of {@code requestedSeconds}: at most {@link #MAX_TTL_SECONDS}. */
  public static int grant(int requestedSeconds) {
    return Math.max(0, Math.min(requestedSeconds, MAX_TTL_SECONDS));
  }

  /**
   * Subscribes {@code subscriber} to {@code key} until {@code now + ttlMillis}, or moves the expiry of its
   * subscription there.
   */
  public Result subscribe(NodeId key, PeerAddress subscriber, long ttlMillis, long nowMillis) {
    long expiresAt = nowMillis + ttlMillis;
    LinkedHashMap<PeerAddress, Entry> subs = byKey.get(key);
    if (subs != null) {
      Entry e = subs.get(subscriber);
      if (e != null && e.expiresAt > nowMillis) {
        e.expiresAt = expiresAt;
        return Result.REFRESHED;
      }
      purge(key, subs, nowMillis);
      if (subs.size() >= maxPerKey) {
        return Result.KEY_FULL;
      }
    }
    if (keysOf(subscriber) >= maxPerAddress) {
      purgeAddress(subscriber, nowMillis);
      if (keysOf(subscriber) >= maxPerAddress) {
        return Result.ADDRESS_FULL;
      }
    }
    if (total >= maxTotal) {
      purgeExpired(nowMillis);
      if (total >= maxTotal) {
        return Result.FULL;
      }
    }
    byKey.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(subscriber, new Entry(expiresAt));
    keysByAddress.computeIfAbsent(subscriber, a -> new LinkedHashSet<>()).add(key);
    total++;
    return Result.ADDED;
  }

  /** Ends {@code subscriber}'s subscription to {@code key}; false when there was none. */
  public boolean remove(NodeId key, PeerAddress subscriber) {
    LinkedHashMap<PeerAddress, Entry> subs = byKey.get(key);
    if (subs == null || subs.remove(subscriber) == null) {
      return false;
    }
    forget(key, subscriber);
    if (subs.isEmpty()) {
      byKey.remove(key);
    }
    return true;
  }

  /** The addresses subscribed to {@code key} now, in the order they subscribed; expired ones are dropped. */
  public List<PeerAddress> subscribers(NodeId key, long nowMillis) {
    LinkedHashMap<PeerAddress, Entry> subs = byKey.get(key);
    if (subs == null) {
      return List.of();
    }
    purge(key, subs, nowMillis);
    return new ArrayList<>(subs.keySet());
  }

  /** A NOTIFY to {@code subscriber} was acknowledged: its failure count starts over. */
  public void onDelivered(NodeId key, PeerAddress subscriber) {
    Entry e = entry(key, subscriber);
    if (e != null) {
      e.failures = 0;
    }
  }

  /**
   * A NOTIFY to {@code subscriber} timed out after its retransmissions. Returns true when that was one failure too
   * many and the subscription is gone.
   */
  public boolean onFailed(NodeId key, PeerAddress subscriber) {
    Entry e = entry(key, subscriber);
    if (e == null) {
      return false;
    }
    if (++e.failures >= MAX_FAILURES) {
      remove(key, subscriber);
      return true;
    }
    return false;
  }

  /** Drops every expired subscription; returns how many. */
  public int purgeExpired(long nowMillis) {
    int before = total;
    Iterator<Map.Entry<NodeId, LinkedHashMap<PeerAddress, Entry>>> it = byKey.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<NodeId, LinkedHashMap<PeerAddress, Entry>> subs = it.next();
      dropExpired(subs.getKey(), subs.getValue(), nowMillis);
      if (subs.getValue().isEmpty()) {
        it.remove();
      }
    }
    return before - total;
  }

  /** Subscriptions held, expired ones not yet purged included. */
  public int size() {
    return total;
  }

  /** Keys with at least one subscription held. */
  public int keyCount() {
    return byKey.size();
  }

  /** Keys {@code subscriber} holds subscriptions to, expired ones not yet purged included. */
  public int keysOf(PeerAddress subscriber) {
    LinkedHashSet<NodeId> keys = keysByAddress.get(subscriber);
    return keys == null ? 0 : keys.size();
  }

  private Entry entry(NodeId key, PeerAddress subscriber) {
    LinkedHashMap<PeerAddress, Entry> subs = byKey.get(key);
    return subs == null ? null : subs.get(subscriber);
  }

  private void purge(NodeId key, LinkedHashMap<PeerAddress, Entry> subs, long nowMillis) {
    dropExpired(key, subs, nowMillis);
    if (subs.isEmpty()) {
      byKey.remove(key);
    }
  }

  private void purgeAddress(PeerAddress subscriber, long nowMillis) {
    for (NodeId key : new ArrayList<>(keysByAddress.getOrDefault(subscriber, new LinkedHashSet<>()))) {
      Entry e = entry(key, subscriber);
      if (e != null && e.expiresAt <= nowMillis) {
        remove(key, subscriber);
      }
    }
  }

  private void dropExpired(NodeId key, LinkedHashMap<PeerAddress, Entry> subs, long nowMillis) {
    Iterator<Map.Entry<PeerAddress, Entry>> it = subs.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<PeerAddress, Entry> e = it.next();
      if (e.getValue().expiresAt <= nowMillis) {
        it.remove();
        forget(key, e.getKey());
      }
    }
  }

  private void forget(NodeId key, PeerAddress subscriber) {
    total--;
    LinkedHashSet<NodeId> keys = keysByAddress.get(subscriber);
    if (keys != null) {
      keys.remove(key);
      if (keys.isEmpty()) {
        keysByAddress.remove(subscriber);
      }
    }
  }
}
