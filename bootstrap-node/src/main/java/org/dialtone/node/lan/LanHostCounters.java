package org.dialtone.node.lan;

/** What finding numbers' hosts on the LAN sent, heard and refused; live, readable from any thread. */
public final class LanHostCounters extends EnumCounters<LanHostCounters.Counter> {
  /** Every counter at 0. */
  public LanHostCounters() {
    super(Counter.class);
  }

  /** One counter each. */
  public enum Counter {
    PACKETS_IN,
    PACKETS_OUT,
    BYTES_IN,
    BYTES_OUT,
    /** Queries for a number's hosts sent (a dialler). */
    QUERIES_SENT,
    /** Answers for a hosted number sent (a host). */
    ANSWERS_SENT,
    /** Answers not sent: larger than 3 times the query that asked (the amplification bound). */
    ANSWERS_WITHHELD_SIZE,
    /** Queries for a hosted number that found its answer already sent within the gap, or the answer budget spent. */
    ANSWERS_DEFERRED,
    /** Hosts heard for a number being looked up (hints, not trusted). */
    HOSTS_HEARD,
    /** Dropped: not a well-formed DNS message, or over our size and record limits. */
    DROPPED_MALFORMED,
    /** Dropped: over the inbound packet rate. */
    DROPPED_RATE_LIMITED,
    /** Dropped: the sender is not on one of our links' subnets, or not a private address. */
    DROPPED_OFF_LINK,
    /** Answers refused: for no number being looked up now (unsolicited). */
    REFUSED_UNASKED,
    /** Answers refused: an instance name that is not a key's canonical name, no SRV for it, or port 0. */
    REFUSED_BAD_ANSWER,
    /** Answers refused: the lookup's cap, or its cap per sending address, reached. */
    REFUSED_OVER_CAP
  }
}
