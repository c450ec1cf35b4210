package org.dialtone.node.lan;

/** What LAN discovery sent, learned and refused; live, readable from any thread. */
public final class LanCounters extends EnumCounters<LanCounters.Counter> {
  /** Every counter at 0. */
  public LanCounters() {
    super(Counter.class);
  }

  /** One counter each. */
  public enum Counter {
    PACKETS_IN,
    PACKETS_OUT,
    BYTES_IN,
    BYTES_OUT,
    /** Queries for the service type sent. */
    QUERIES_SENT,
    /** Responses (announcements) sent, unsolicited or to a query. */
    ANNOUNCEMENTS_SENT,
    /** Peers added to the table of candidates (not yet trusted). */
    PEERS_LEARNED,
    /** Peers whose address answered a DHT ping with the key of the id they advertised. */
    PEERS_VERIFIED,
    /** Peers that answered with another key than the id they advertised, or not at all. */
    PEERS_UNVERIFIED,
    /** Dropped: not a well-formed DNS message, or over our size and record limits. */
    DROPPED_MALFORMED,
    /** Dropped: over the inbound packet rate. */
    DROPPED_RATE_LIMITED,
    /** Dropped: the sender is not on one of our links' subnets, or not a private address. */
    DROPPED_OFF_LINK,
    /** Adverts refused: no, several or a malformed node id in TXT, or an instance name that does not match it. */
    REFUSED_BAD_ID,
    /** Adverts refused: port 0. */
    REFUSED_BAD_PORT,
    /** Adverts refused: incomplete (a PTR without its SRV and TXT in the same packet). */
    REFUSED_INCOMPLETE,
    /** Adverts refused: an id already held, verified, by another address. */
    REFUSED_CONFLICT,
    /** Adverts refused: the table's cap per interface, or per sending address, is reached. */
    REFUSED_OVER_CAP
  }

  /** The sum of every {@code DROPPED_*} and {@code REFUSED_*} counter. */
  public long refusedTotal() {
    long sum = 0;
    for (Counter c : Counter.values()) {
      if (c.name().startsWith("DROPPED_") || c.name().startsWith("REFUSED_")) {
        sum += get(c);
      }
    }
    return sum;
  }
}
