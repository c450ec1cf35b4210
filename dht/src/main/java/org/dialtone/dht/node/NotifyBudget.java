package org.dialtone.dht.node;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;

/**
 * The NOTIFYs a storing node owes its subscribers, on a budget of their own apart from the node's other requests.
 * At most one NOTIFY is in flight per subscriber; records stored meanwhile wait in a small slot per subscriber (one
 * per key and publisher, a newer version replacing an older) and go out one by one as acknowledgements come back. A
 * subscriber whose NOTIFY times out loses what waited for it. A NOTIFY that finds the budget spent (too many in flight
 * in all, or the subscriber's slot full) is dropped, never queued further: silent subscribers plus a burst of STOREs
 * can then hold at most {@link #maxInFlight()} of the RPC layer's pending requests, and the node's own lookups keep
 * the rest (attack 7 of {@code docs/threats.md}).
 *
 * <p>Plain state, no I/O; the node's thread only.
 */
final class NotifyBudget {
  /** NOTIFYs in flight at once, by default: 1/16 of the default RPC layer's pending requests. */
  static final int DEFAULT_MAX_IN_FLIGHT = 256;
  /** Records waiting for one subscriber. */
  static final int MAX_WAITING_PER_SUBSCRIBER = 8;
  /** Records waiting in all. */
  static final int MAX_WAITING = 1024;

  /** What {@link #offer} decided. */
  enum Decision {
    /** Send it now. */
    SEND,
    /** A NOTIFY to that subscriber is in flight: this one waits for its acknowledgement. */
    WAITING,
    /** The budget is spent: not sent. */
    DROPPED
  }

  private record Slot(NodeId key, PublicKey publisher) {}

  private final int maxInFlight;
  private final Map<PeerAddress, LinkedHashMap<Slot, SignedRecord>> inFlight = new HashMap<>();
  private int waiting;

  NotifyBudget(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be positive");
    }
    this.maxInFlight = maxInFlight;
  }

  /** Decides what becomes of a NOTIFY of {@code record} to {@code subscriber}; SEND takes an in-flight slot. */
  Decision offer(PeerAddress subscriber, SignedRecord record) {
    LinkedHashMap<Slot, SignedRecord> queue = inFlight.get(subscriber);
    if (queue == null) {
      if (inFlight.size() >= maxInFlight) {
        return Decision.DROPPED;
      }
      inFlight.put(subscriber, new LinkedHashMap<>());
      return Decision.SEND;
    }
    Slot slot = new Slot(record.key(), record.publisher());
    SignedRecord older = queue.get(slot);
    if (older != null) {
      if (record.seq() > older.seq()) {
        queue.put(slot, record); // the newer version replaces the one waiting
      }
      return Decision.WAITING;
    }
    if (queue.size() >= MAX_WAITING_PER_SUBSCRIBER || waiting >= MAX_WAITING) {
      return Decision.DROPPED;
    }
    queue.put(slot, record);
    waiting++;
    return Decision.WAITING;
  }

  /**
   * The NOTIFY in flight to {@code subscriber} is over. When it was acknowledged, returns the next record waiting for
   * it (which keeps the in-flight slot); otherwise, or when none waits, frees the slot and drops what waited.
   */
  Optional<SignedRecord> onDone(PeerAddress subscriber, boolean acknowledged) {
    LinkedHashMap<Slot, SignedRecord> queue = inFlight.get(subscriber);
    if (queue == null) {
      return Optional.empty();
    }
    if (acknowledged && !queue.isEmpty()) {
      Iterator<SignedRecord> it = queue.values().iterator();
      SignedRecord next = it.next();
      it.remove();
      waiting--;
      return Optional.of(next);
    }
    waiting -= queue.size();
    inFlight.remove(subscriber);
    return Optional.empty();
  }

  /** NOTIFYs in flight now. */
  int inFlight() {
    return inFlight.size();
  }

  /** Records waiting behind a NOTIFY in flight. */
  int waiting() {
    return waiting;
  }

  /** The in-flight budget. */
  int maxInFlight() {
    return maxInFlight;
  }
}
