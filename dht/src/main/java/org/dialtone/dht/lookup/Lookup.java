package org.dialtone.dht.lookup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;

/**
 * An iterative Kademlia lookup as a pure state machine: it decides whom to ask next, is told what came back or
 * failed, and says when it has converged. It sends nothing, reads no clock and sets no timer; the node drives it over
 * real UDP and the simulator drives the very same code over virtual time.
 *
 * <p>Rules: at most {@code alpha} queries in flight per path, and {@link LookupRules#maxInFlight()} over all of them;
 * a node is never queried twice, nor by two paths; only the {@code k} closest candidates of a path that have not
 * failed (and no more than {@link LookupRules#maxPerPrefix()} of one network among them) are worth querying; a path is finished when those have all answered, or when nobody is
 * left to ask and nothing is in flight; the lookup is finished when every path is. A hard cap on queries bounds a
 * lookup fed endless fresh candidates by hostile peers, and {@link LookupRules#maxNewPerResponder()} bounds what one
 * answer adds. A query that is slow ({@link #onStalled}) stops holding its path up; should its answer still come, it
 * counts.
 *
 * <p>Not thread-safe: one lookup belongs to one event loop.
 */
public final class Lookup {
  private enum State { WAITING, IN_FLIGHT, STALLED, SUCCEEDED, FAILED }

  private static final class Candidate {
    final NodeInfo info;
    final int depth;
    final int path;
    final Object prefix;
    State state = State.WAITING;

    Candidate(NodeInfo info, int depth, int path, Object prefix) {
      this.info = info;
      this.depth = depth;
      this.path = path;
      this.prefix = prefix;
    }

    boolean dead() {
      return state == State.FAILED || state == State.STALLED;
    }
  }

  private final NodeId target;
  private final int k;
  private final int alpha;
  private final int maxQueries;
  private final LookupRules rules;
  private final TreeMap<NodeId, Candidate> candidates;
  // Every id ever offered, so a failed or pruned node is never added and asked again, by any path.
  private final Set<NodeId> seen = new HashSet<>();
  private final int[] inFlightByPath;
  private int inFlight;
  private int queried;
  private int succeeded;
  private int failed;
  private int referralsDropped;
  private int firstPath;
  private boolean stopped;

  /** A classic lookup (one path, no caps): see {@link #Lookup(NodeId, int, int, int, Collection, LookupRules)}. */
  public Lookup(NodeId target, int k, int alpha, int maxQueries, Collection<NodeInfo> seeds) {
    this(target, k, alpha, maxQueries, seeds, LookupRules.classic());
  }

  /**
   * A lookup of {@code target} starting from {@code seeds} (typically the routing table's closest contacts), dealt
   * nearest first among the paths of {@code rules}.
   *
   * @param k how many closest nodes the lookup converges on
   * @param alpha how many queries may be in flight at once on each path
   * @param maxQueries the most queries this lookup ever starts
   */
  public Lookup(NodeId target, int k, int alpha, int maxQueries, Collection<NodeInfo> seeds, LookupRules rules) {
    if (k < 1 || alpha < 1 || maxQueries < 1) {
      throw new IllegalArgumentException("k, alpha and maxQueries must be positive");
    }
    this.target = Objects.requireNonNull(target);
    this.k = k;
    this.alpha = alpha;
    this.maxQueries = maxQueries;
    this.rules = Objects.requireNonNull(rules, "rules");
    this.candidates = new TreeMap<>(target.distanceOrder());
    this.inFlightByPath = new int[rules.paths()];
    List<NodeInfo> sorted = new ArrayList<>(seeds);
    sorted.sort((a, b) -> target.compareDistance(a.id(), b.id()));
    int i = 0;
    for (NodeInfo seed : sorted) {
      if (add(seed, 0, i % rules.paths())) {
        i++;
      }
    }
  }

  /** The id being looked up. */
  public NodeId target() {
    return target;
  }

  /**
   * The nodes to query now, each marked in flight; empty when there is nothing to do until a reply or failure
   * comes in (or the lookup is finished).
   */
  public List<NodeInfo> next() {
    List<NodeInfo> out = new ArrayList<>();
    if (stopped) {
      return out;
    }
    // The paths take turns, one query each per round, and under a total budget below paths * alpha each keeps to
    // its fair share of it: a path whose answer came back asks next, and a hostile path cannot take the others'
    // turns with the candidates it makes up.
    int paths = rules.paths();
    int perPath = rules.maxInFlight() == Integer.MAX_VALUE ? alpha
        : Math.min(alpha, (rules.maxInFlight() + paths - 1) / paths);
    List<List<Candidate>> windows = new ArrayList<>(paths);
    int[] position = new int[paths];
    for (int path = 0; path < paths; path++) {
      windows.add(window(path));
    }
    boolean progress = true;
    while (progress && inFlight < rules.maxInFlight() && queried < maxQueries) {
      progress = false;
      for (int turn = 0; turn < paths && inFlight < rules.maxInFlight() && queried < maxQueries; turn++) {
        int path = (firstPath + turn) % paths;
        if (inFlightByPath[path] >= perPath) {
          continue;
        }
        List<Candidate> window = windows.get(path);
        while (position[path] < window.size() && window.get(position[path]).state != State.WAITING) {
          position[path]++;
        }
        if (position[path] < window.size()) {
          Candidate c = window.get(position[path]++);
          c.state = State.IN_FLIGHT;
          inFlightByPath[path]++;
          inFlight++;
          queried++;
          out.add(c.info);
          progress = true;
        }
      }
    }
    firstPath = (firstPath + 1) % paths;
    return out;
  }

  /**
   * {@code from} answered; {@code closer} are the nodes it told us about. Nodes already known are ignored, and at
   * most {@link LookupRules#maxNewPerResponder()} new ones (the nearest to the target) join its path. Replies from
   * nodes not in flight or stalled (late, duplicate or unasked) change nothing.
   */
  public void onSuccess(NodeId from, Collection<NodeInfo> closer) {
    Candidate c = candidates.get(from);
    if (c == null || c.state != State.IN_FLIGHT && c.state != State.STALLED) {
      return;
    }
    if (c.state == State.IN_FLIGHT) {
      release(c);
    }
    c.state = State.SUCCEEDED;
    succeeded++;
    List<NodeInfo> offered = new ArrayList<>(closer);
    offered.sort((a, b) -> target.compareDistance(a.id(), b.id()));
    int added = 0;
    for (NodeInfo n : offered) {
      if (n.id().equals(from) || seen.contains(n.id())) {
        continue;
      }
      if (added >= rules.maxNewPerResponder()) {
        referralsDropped++;
        continue;
      }
      if (add(n, c.depth + 1, c.path)) {
        added++;
      }
    }
  }

  /** {@code from} did not answer, or answered nonsense. Ignored unless it was in flight or stalled. */
  public void onFailure(NodeId from) {
    Candidate c = candidates.get(from);
    if (c == null || c.state != State.IN_FLIGHT && c.state != State.STALLED) {
      return;
    }
    if (c.state == State.IN_FLIGHT) {
      release(c);
    }
    c.state = State.FAILED;
    failed++;
  }

  /**
   * {@code from} has not answered for longer than answers usually take: it no longer holds up its path (another
   * candidate takes its slot, and the path may finish without it). If it answers after all, {@link #onSuccess}
   * still counts it; if it fails, {@link #onFailure}. Ignored unless in flight.
   */
  public void onStalled(NodeId from) {
    Candidate c = candidates.get(from);
    if (c == null || c.state != State.IN_FLIGHT) {
      return;
    }
    release(c);
    c.state = State.STALLED;
  }

  /** Ends the lookup early (a value was found, or the caller gave up); nothing more will be queried. */
  public void stop() {
    stopped = true;
  }

  /** True when the lookup has converged on every path, ran out of candidates, hit its query cap, or was stopped. */
  public boolean isFinished() {
    if (stopped) {
      return true;
    }
    for (int path = 0; path < rules.paths(); path++) {
      boolean anyWaiting = false;
      for (Candidate c : window(path)) {
        if (c.state == State.IN_FLIGHT) {
          return false;
        }
        if (c.state == State.WAITING) {
          anyWaiting = true;
        }
      }
      // Waiting candidates among the k closest keep the path going unless the query budget is spent.
      if (anyWaiting && !(queried >= maxQueries && inFlight == 0)) {
        return false;
      }
    }
    return true;
  }

  /** Queries in flight now (stalled ones not counted). */
  public int inFlight() {
    return inFlight;
  }

  /**
   * The up to {@code k} closest nodes that answered, nearest first, over all paths, with at most
   * {@link LookupRules#maxPerPrefix()} of one network.
   */
  public List<NodeInfo> closestSucceeded() {
    List<NodeInfo> out = new ArrayList<>(k);
    Map<Object, Integer> perPrefix = new HashMap<>();
    for (Candidate c : candidates.values()) {
      if (out.size() >= k) {
        break;
      }
      if (c.state == State.SUCCEEDED && admit(perPrefix, c)) {
        out.add(c.info);
      }
    }
    return out;
  }

  /**
   * Hops to the closest node that answered: 1 when a starting node was the closest, one more for each referral
   * that led to it; 0 when nobody answered.
   */
  public int hops() {
    for (Candidate c : candidates.values()) {
      if (c.state == State.SUCCEEDED) {
        return c.depth + 1;
      }
    }
    return 0;
  }

  /** Queries started. */
  public int queried() {
    return queried;
  }

  /** Queries answered. */
  public int succeeded() {
    return succeeded;
  }

  /** Queries failed. */
  public int failed() {
    return failed;
  }

  /** Referrals not followed because an answer offered more new candidates than the cap. */
  public int referralsDropped() {
    return referralsDropped;
  }

  // The k closest live candidates of a path, at most maxPerPrefix of one network among them. (A share of k per path
  // would cost less, but the union of the paths then misses some of the k closest, and a put and a later get of the
  // same key disagree on where the record is.)
  private List<Candidate> window(int path) {
    List<Candidate> out = new ArrayList<>(k);
    Map<Object, Integer> perPrefix = new HashMap<>();
    for (Candidate c : candidates.values()) {
      if (out.size() >= k) {
        break;
      }
      if (c.path != path || c.dead() || !admit(perPrefix, c)) {
        continue;
      }
      out.add(c);
    }
    return out;
  }

  private boolean admit(Map<Object, Integer> perPrefix, Candidate c) {
    if (c.prefix == null) {
      return true;
    }
    int n = perPrefix.getOrDefault(c.prefix, 0);
    if (n >= rules.maxPerPrefix()) {
      return false;
    }
    perPrefix.put(c.prefix, n + 1);
    return true;
  }

  private void release(Candidate c) {
    inFlightByPath[c.path]--;
    inFlight--;
  }

  private boolean add(NodeInfo info, int depth, int path) {
    if (!seen.add(info.id())) {
      return false;
    }
    candidates.put(info.id(), new Candidate(info, depth, path, rules.prefixOf().apply(info)));
    prune();
    return true;
  }

  // Keeps the candidate set bounded: waiting candidates far beyond the k closest of every path can never be queried
  // before the lookup converges, so the farthest ones are dropped (they stay in 'seen' and are never re-added).
  private void prune() {
    int limit = rules.paths() * (4 * k + alpha);
    while (candidates.size() > limit) {
      NodeId farthest = candidates.lastKey();
      Candidate c = candidates.get(farthest);
      if (c.state != State.WAITING && c.state != State.FAILED) {
        return; // never drop what we asked; the set is then bounded by maxQueries anyway
      }
      candidates.remove(farthest);
    }
  }
}
