package org.dialtone.dht.api;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A node's counters. Written on the node's thread, readable from any thread; an increment is one atomic add.
 */
public final class NodeMetrics {
  /** What is counted. */
  public enum Counter {
    DATAGRAMS_IN,
    DATAGRAMS_OUT,
    BYTES_IN,
    BYTES_OUT,
    /** Dropped: larger than a datagram may be. */
    DROPPED_OVERSIZED,
    /** Dropped: could not be decoded (malformed, truncated, unknown type, missing or bad field). */
    DROPPED_MALFORMED,
    /** Dropped: a protocol version this node does not speak. */
    DROPPED_UNSUPPORTED_VERSION,
    /** Dropped: a reply that matched no request sent to that address. */
    DROPPED_UNSOLICITED,
    /** Dropped: the sender exceeded its request rate. */
    DROPPED_RATE_LIMITED,
    /** Dropped: a request to a node in client mode, which answers none. */
    DROPPED_NOT_SERVING,
    /** Dropped: handling it failed inside this node (a bug; logged). */
    DROPPED_INTERNAL_ERROR,
    REQUESTS_SERVED,
    STORES_ACCEPTED,
    STORES_REFUSED,
    /** Contacts that proved their key and were offered to the routing table. */
    CONTACTS_VERIFIED,
    /** Challenge signatures that did not verify. */
    PROOFS_FAILED,
    /** Replies whose key did not hash to the id the request was sent to. */
    ID_MISMATCH,
    LOOKUPS,
    /** Records a reader refused: forged, expired, or under the wrong key. */
    RECORDS_REJECTED,
    /** Records handed to a new close neighbour. */
    HANDOFF_RECORDS,
    /** NOTIFY requests sent to subscribers (first transmissions; retransmissions not counted). */
    NOTIFICATIONS_SENT,
    /** NOTIFY requests for a watched key whose record verified, duplicates included (each was acknowledged). */
    NOTIFICATIONS_RECEIVED,
    /** SUBSCRIBE requests accepted (new subscriptions and refreshes; ends with a time to live of 0 not counted). */
    SUBSCRIPTIONS,
    /** NOTIFYs not sent: the NOTIFY budget was spent, or the subscriber had not yet acknowledged the previous one. */
    NOTIFICATIONS_DROPPED,
    /** NOTIFYs dropped unanswered: from an address this node holds no subscription with for that key. */
    NOTIFICATIONS_UNSOLICITED,
    /**
     * Datagrams not sent: they would have taken what this node sent to an address that has not proven a round trip
     * past three times what it received from it (anti-amplification).
     */
    DROPPED_UNPROVEN_ADDRESS,
    /** Replies cut short (fewer contacts or records) to stay within three times the request of an unproven sender. */
    REPLIES_TRUNCATED,
    /** Contacts a lookup did not follow: past the per-responder cap, private ranges from a public peer, or self. */
    REFERRALS_DROPPED,
    /** Challenges this node signed: one per request that carried one (proving our key to the requester). */
    PROOFS_SIGNED,
    /** Challenge signatures this node checked (whether they verified or not). */
    PROOFS_VERIFIED
  }

  private final AtomicLongArray values = new AtomicLongArray(Counter.values().length);

  /** Adds one. */
  public void inc(Counter c) {
    values.incrementAndGet(c.ordinal());
  }

  /** Adds {@code n}. */
  public void add(Counter c, long n) {
    values.addAndGet(c.ordinal(), n);
  }

  /** The current value. */
  public long get(Counter c) {
    return values.get(c.ordinal());
  }

  /** Every counter. */
  public Map<Counter, Long> snapshot() {
    Map<Counter, Long> m = new EnumMap<>(Counter.class);
    for (Counter c : Counter.values()) {
      m.put(c, values.get(c.ordinal()));
    }
    return m;
  }
}
