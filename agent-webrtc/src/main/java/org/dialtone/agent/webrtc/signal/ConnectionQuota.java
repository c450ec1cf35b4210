package org.dialtone.agent.webrtc.signal;

import java.util.HashMap;
import java.util.Map;
import org.dialtone.dht.crypto.PublicKey;

/**
 * How many WebRTC connections an agent holds with browsers, in all and per browser key, being set up or open: a
 * page that opens channel after channel (or many pages) cannot make the agent hold more than these. Keys cost
 * nothing to make, so the per-key bound keeps one careless page from taking every place; the total bounds the rest.
 * Thread-safe.
 */
public final class ConnectionQuota {
  /** Connections in all, by default. */
  public static final int DEFAULT_TOTAL = 64;
  /** Connections with one browser key, by default. */
  public static final int DEFAULT_PER_PEER = 8;

  private final int total;
  private final int perPeer;
  private final Map<PublicKey, Integer> held = new HashMap<>();
  private int inAll;

  /** At most {@code total} connections, {@code perPeer} with one key. */
  public ConnectionQuota(int total, int perPeer) {
    if (total < 1 || perPeer < 1 || perPeer > total) {
      throw new IllegalArgumentException("need 1 <= perPeer <= total, got " + perPeer + " and " + total);
    }
    this.total = total;
    this.perPeer = perPeer;
  }

  /** Takes a place for a connection with {@code peer}; false (nothing taken) when a bound is reached. */
  public synchronized boolean take(PublicKey peer) {
    int mine = held.getOrDefault(peer, 0);
    if (inAll >= total || mine >= perPeer) {
      return false;
    }
    held.put(peer, mine + 1);
    inAll++;
    return true;
  }

  /** Gives back a place {@link #take} gave for {@code peer}. */
  public synchronized void give(PublicKey peer) {
    Integer mine = held.get(peer);
    if (mine == null) {
      return;
    }
    if (mine == 1) {
      held.remove(peer);
    } else {
      held.put(peer, mine - 1);
    }
    inAll--;
  }

  /** Connections held now. */
  public synchronized int held() {
    return inAll;
  }
}
