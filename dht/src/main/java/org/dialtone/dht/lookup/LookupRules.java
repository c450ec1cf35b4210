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
 * @param maxInFlight the most queries in flight at once over all paths together; each path keeps to its share of
 *     it (rounded up, and at most the lookup's {@code alpha}). {@link Integer#MAX_VALUE}: {@code alpha} per path. A
 *     get that stops at its first records sets it to {@code alpha}: with three paths each then walks one query at a
 *     time, the first round asks the {@code alpha} nearest contacts a classic lookup asks, and a hostile responder
 *     still misleads only its own path.
 * @param prefixOf the network a candidate belongs to for {@code maxPerPrefix}; null exempts it (local addresses on a
 *     test network)
 */
public record LookupRules(
    int paths, int maxNewPerResponder, int maxPerPrefix, int maxInFlight, Function<NodeInfo, Object> prefixOf) {
  /** Default disjoint paths. */
  public static final int DEFAULT_PATHS = 3;
  /**
   * Default cap on the new candidates one answer adds: alpha, so that what one responder makes up takes at most one
   * round of its path's queries (one stall, not two), and a lookup it lies to is slowed less than 2x (measured in
   * {@code FabricatingResponderSimulationTest}: x1.53 to x1.87; with 5 it was x2.64).
   */
  public static final int DEFAULT_MAX_NEW_PER_RESPONDER = 3;
  /** Default cap per network among the k closest, as discv5's two per /24 in a bucket. */
  public static final int DEFAULT_MAX_PER_PREFIX = 2;

  /** Validates the numbers. */
  public LookupRules {
    if (paths < 1 || maxNewPerResponder < 1 || maxPerPrefix < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("paths, maxNewPerResponder, maxPerPrefix and maxInFlight must be positive");
    }
    Objects.requireNonNull(prefixOf, "prefixOf");
  }

  /** Classic Kademlia: one path, no caps. */
  public static LookupRules classic() {
    return new LookupRules(1, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, n -> null);
  }

  /** The defaults, with networks given by {@code prefixOf}. */
  public static LookupRules defaults(Function<NodeInfo, Object> prefixOf) {
    return new LookupRules(DEFAULT_PATHS, DEFAULT_MAX_NEW_PER_RESPONDER, DEFAULT_MAX_PER_PREFIX, Integer.MAX_VALUE,
        prefixOf);
  }

  /** These rules with at most {@code max} queries in flight over all paths together. */
  public LookupRules withMaxInFlight(int max) {
    return new LookupRules(paths, maxNewPerResponder, maxPerPrefix, max, prefixOf);
  }
}
