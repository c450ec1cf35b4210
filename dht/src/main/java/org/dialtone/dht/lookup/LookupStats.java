package org.dialtone.dht.lookup;

/**
 * What one lookup cost and achieved.
 *
 * @param hops referrals to the closest node that answered (see {@link Lookup#hops()})
 * @param queried nodes queried
 * @param succeeded nodes that answered
 * @param failed nodes that timed out or answered nonsense
 * @param messages request datagrams sent for the lookup, retransmissions and extra pages included
 * @param elapsedNanos time from start to finish on the node's clock
 */
public record LookupStats(int hops, int queried, int succeeded, int failed, int messages, long elapsedNanos) {
  /** Elapsed time in milliseconds. */
  public double elapsedMillis() {
    return elapsedNanos / 1e6;
  }
}
