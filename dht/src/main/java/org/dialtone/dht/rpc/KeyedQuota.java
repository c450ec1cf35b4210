package org.dialtone.dht.rpc;

import java.util.HashMap;
import java.util.Map;

/**
 * Places for things in flight or held, bounded in all and per key (an address, a network, a peer's key): keys cost an
 * attacker little, so the per-key bound keeps one from taking every place, and the total bounds the rest. A place
 * taken is given back once. Thread-safe.
 *
 * @param <K> what the per-key bound is keyed by
 */
public final class KeyedQuota<K> {
  private final int total;
  private final int perKey;
  private final Map<K, Integer> held = new HashMap<>();
  private int inAll;

  /** At most {@code total} places, {@code perKey} for one key. */
  public KeyedQuota(int total, int perKey) {
    if (perKey < 1 || perKey > total) {
      throw new IllegalArgumentException("need 1 <= perKey <= total, got " + perKey + " and " + total);
    }
    this.total = total;
    this.perKey = perKey;
  }

  /** Takes a place for {@code key}; false (nothing taken) when a bound is reached. */
  public synchronized boolean take(K key) {
    int mine = held.getOrDefault(key, 0);
    if (inAll >= total || mine >= perKey) {
      return false;
    }
    held.put(key, mine + 1);
    inAll++;
    return true;
  }

  /** Gives back a place {@link #take} gave for {@code key}; nothing when {@code key} holds none. */
  public synchronized void give(K key) {
    Integer mine = held.get(key);
    if (mine == null) {
      return;
    }
    if (mine == 1) {
      held.remove(key);
    } else {
      held.put(key, mine - 1);
    }
    inAll--;
  }

  /** Places held now, in all. */
  public synchronized int held() {
    return inAll;
  }

  /** True when every place is held, whatever the key. */
  public synchronized boolean full() {
    return inAll >= total;
  }
}
