package org.dialtone.dht.lookup;

import java.util.Objects;
import java.util.function.Function;
import org.dialtone.dht.net.NodeInfo;

/**
 * The defences of a {@link Lookup} against poisoned answers, after S/Kademlia (Baumgart and Mies, 2007) and discv5.
 *
 * @param paths disjoint paths: the starting contacts are dealt among them, each path follows only what its own
 *     responders refer, and no node is asked by two paths. A hostile responder misleads one path; the others still
 *     reach the honest closest nodes. 1 is classic Kademlia.
 * @param maxNewPerResponder the most new candidates one answer may add (its nearest to the target first): a
 *     responder fabricating contacts aims at most this many queries at addresses of its choosing.
 * @param maxPerPrefix the most candidates of one network ({@code prefixOf}) among a path's k closest, and among the
 *     k closest a lookup returns: ids ground near a key from one network cannot fill them.
 * @param prefixOf the network a candidate belongs to for {@code maxPerPrefix}; null exempts it (local addresses on a
 *     test network)
 */
public record LookupRules(int paths, int maxNewPerResponder, int maxPerPrefix, Function<NodeInfo, Object> prefixOf) {
  /** Default disjoint paths. */
  public static final int DEFAULT_PATHS = 3;
  /** Default cap on the new candidates one answer adds. */
  public static final int DEFAULT_MAX_NEW_PER_RESPONDER = 5;
  /** Default cap per network among the k closest, as discv5's two per /24 in a bucket. */
  public static final int DEFAULT_MAX_PER_PREFIX = 2;

  /** Validates the numbers. */
  public LookupRules {
    if (paths < 1 || maxNewPerResponder < 1 || maxPerPrefix < 1) {
      throw new IllegalArgumentException("paths, maxNewPerResponder and maxPerPrefix must be positive");
    }
    Objects.requireNonNull(prefixOf, "prefixOf");
  }

  /** Classic Kademlia: one path, no caps. */
  public static LookupRules classic() {
    return new LookupRules(1, Integer.MAX_VALUE, Integer.MAX_VALUE, n -> null);
  }

  /** The defaults, with networks given by {@code prefixOf}. */
  public static LookupRules defaults(Function<NodeInfo, Object> prefixOf) {
    return new LookupRules(DEFAULT_PATHS, DEFAULT_MAX_NEW_PER_RESPONDER, DEFAULT_MAX_PER_PREFIX, prefixOf);
  }
}
