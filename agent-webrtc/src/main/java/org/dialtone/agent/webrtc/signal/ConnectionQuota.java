package org.dialtone.agent.webrtc.signal;

import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.rpc.KeyedQuota;

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

  private final KeyedQuota<PublicKey> places;

  /** At most {@code total} connections, {@code perPeer} with one key ({@link KeyedQuota} checks the two). */
  public ConnectionQuota(int total, int perPeer) {
    this.places = new KeyedQuota<>(total, perPeer);
  }

  /** Takes a place for a connection with {@code peer}; false (nothing taken) when a bound is reached. */
  public boolean take(PublicKey peer) {
    return places.take(peer);
  }

  /** Gives back a place {@link #take} gave for {@code peer}. */
  public void give(PublicKey peer) {
    places.give(peer);
  }

  /** Connections held now. */
  public int held() {
    return places.held();
  }
}
