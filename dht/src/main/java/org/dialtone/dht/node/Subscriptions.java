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
 * <p>Bounds: subscribers per key, keys per subscriber address, and subscriptions in total; and, so that rotating ports
 * or neighbouring addresses buys nothing, subscribers of one key per host (an IPv4 address, an IPv6 /64) and per
 * source prefix (IPv4 /24, IPv6 /48), and subscriptions in total per host and per prefix. One prefix can therefore take at most
 * {@link #DEFAULT_MAX_PER_PREFIX_PER_KEY} of a key's {@link #DEFAULT_MAX_PER_KEY} slots: a watcher from any other
 * prefix still finds room (attack 6 of {@code docs/threats.md}). A new subscription over a bound is refused (the
 * subscriber is told {@link ErrorCode#OVERLOADED}); nothing that is already held is evicted for it, so a flood of subscriptions cannot push out the ones that were there first. A refresh from the same address
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
  /** Subscribers of one key from one IP address (any ports): a few agents behind one NAT. */
  public static final int DEFAULT_MAX_PER_IP_PER_KEY = 4;
  /** Subscribers of one key from one source prefix: an eighth of the key's slots. */
  public static final int DEFAULT_MAX_PER_PREFIX_PER_KEY = 8;
  /** Subscriptions in total from one IP address (any ports and keys). */
  public static final int DEFAULT_MAX_PER_IP = 64;
  /** Subscriptions in total from one source prefix: a sixteenth of the table. */
  public static final int DEFAULT_MAX_PER_PREFIX = 256;
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
    /** Refused: the subscriber's IP address has as many subscribers of this key as allowed, or as many in total. */
    IP_FULL,
    /** Refused: the subscriber's prefix has as many subscribers of this key as allowed, or as many in total. */
    PREFIX_FULL,
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
  // Subscriptions per source IP and per source prefix; an entry is removed when its count reaches 0.
  private final Map<Source, Integer> bySource = new LinkedHashMap<>();
  private final int maxPerIpPerKey;
  private final int maxPerPrefixPerKey;
  private final int maxPerIp;
  private final int maxPerPrefix;
  private int total;

  public Subscriptions() {
    this(DEFAULT_MAX_PER_KEY, DEFAULT_MAX_PER_ADDRESS, DEFAULT_MAX_TOTAL);
  }

  public Subscriptions(int maxPerKey, int maxPerAddress, int maxTotal) {
    this(maxPerKey, maxPerAddress, maxTotal, Math.min(maxPerKey, DEFAULT_MAX_PER_IP_PER_KEY),
        Math.min(maxPerKey, DEFAULT_MAX_PER_PREFIX_PER_KEY), Math.min(maxTotal, DEFAULT_MAX_PER_IP),
        Math.min(maxTotal, DEFAULT_MAX_PER_PREFIX));
  }

  public Subscriptions(int maxPerKey, int maxPerAddress, int maxTotal, int maxPerIpPerKey, int maxPerPrefixPerKey,
      int maxPerIp, int maxPerPrefix) {
    if (maxPerKey < 1 || maxPerAddress < 1 || maxTotal < 1 || maxPerIpPerKey < 1 || maxPerPrefixPerKey < 1
        || maxPerIp < 1 || maxPerPrefix < 1) {
      throw new IllegalArgumentException("bounds must be positive");
    }
    this.maxPerKey = maxPerKey;
    this.maxPerAddress = maxPerAddress;
    this.maxTotal = maxTotal;
    this.maxPerIpPerKey = maxPerIpPerKey;
    this.maxPerPrefixPerKey = maxPerPrefixPerKey;
    this.maxPerIp = maxPerIp;
    this.maxPerPrefix = maxPerPrefix;
  }

  /**
   * What a subscription is counted against: its host (an IPv4 address, an IPv6 /64, as the rate limits count hosts)
   * or its network (IPv4 /24, IPv6 /48, as the store's quotas count networks), for one key or (key empty) for all.
   */
  private record Source(Object where, Object scope) {
    static Source ip(PeerAddress a, Object scope) {
      return new Source(a.hostPrefix(), scope);
    }

    static Source prefix(PeerAddress a, Object scope) {
      return new Source(a.sourcePrefix(), scope);
    }
  }

  /** The scope of the totals per IP and per prefix: distinct from every key. */
  private static final Object ALL_KEYS = new Object();

  private int count(Source s) {
    return bySource.getOrDefault(s, 0);
  }

  private void count(PeerAddress a, NodeId key, int delta) {
    for (Source s : List.of(Source.ip(a, key), Source.prefix(a, key), Source.ip(a, ALL_KEYS),
        Source.prefix(a, ALL_KEYS))) {
      bySource.merge(s, delta, (x, y) -> x + y == 0 ? null : x + y);
    }
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
    Result bySourceLimit = sourceLimit(key, subscriber);
    if (bySourceLimit != null) {
      purgeExpired(nowMillis);
      bySourceLimit = sourceLimit(key, subscriber);
      if (bySourceLimit != null) {
        return bySourceLimit;
      }
    }
    if (total >= maxTotal) {
      purgeExpired(nowMillis);
      if (total >= maxTotal) {
        return Result.FULL;
      }
    }
    count(subscriber, key, 1);
    byKey.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(subscriber, new Entry(expiresAt));
    keysByAddress.computeIfAbsent(subscriber, a -> new LinkedHashSet<>()).add(key);
    total++;
    return Result.ADDED;
  }

  // The per-IP or per-prefix bound that a new subscription would break, or null.
  private Result sourceLimit(NodeId key, PeerAddress subscriber) {
    if (count(Source.ip(subscriber, key)) >= maxPerIpPerKey || count(Source.ip(subscriber, ALL_KEYS)) >= maxPerIp) {
      return Result.IP_FULL;
    }
    if (count(Source.prefix(subscriber, key)) >= maxPerPrefixPerKey
        || count(Source.prefix(subscriber, ALL_KEYS)) >= maxPerPrefix) {
      return Result.PREFIX_FULL;
    }
    return null;
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
    count(subscriber, key, -1);
    LinkedHashSet<NodeId> keys = keysByAddress.get(subscriber);
    if (keys != null) {
      keys.remove(key);
      if (keys.isEmpty()) {
        keysByAddress.remove(subscriber);
      }
    }
  }
}
