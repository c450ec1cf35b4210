package org.dialtone.dht.lookup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;

/**
 * An iterative Kademlia lookup as a pure state machine: it decides whom to ask next, is told what came back or
 * failed, and says when it has converged. It sends nothing, reads no clock and sets no timer; the node drives it over
 * real UDP and the simulator drives the very same code over virtual time.
 *
 * <p>Rules: at most {@code alpha} queries in flight; a node is never queried twice; only the {@code k} closest
 * candidates that have not failed are worth querying; the lookup is finished when those {@code k} have all
 * answered, or when nobody is left to ask and nothing is in flight. A hard cap on queries bounds a lookup fed
 * endless fresh candidates by hostile peers.
 *
 * <p>Not thread-safe: one lookup belongs to one event loop.
 */
public final class Lookup {
  private enum State { WAITING, IN_FLIGHT, SUCCEEDED, FAILED }

  private static final class Candidate {
    final NodeInfo info;
    final int depth;
    State state = State.WAITING;

    Candidate(NodeInfo info, int depth) {
      this.info = info;
      this.depth = depth;
    }
  }

  private final NodeId target;
  private final int k;
  private final int alpha;
  private final int maxQueries;
  private final TreeMap<NodeId, Candidate> candidates;
  // Every id ever offered, so a failed or pruned node is never added and asked again.
  private final Map<NodeId, Boolean> seen = new HashMap<>();
  private int inFlight;
  private int queried;
  private int succeeded;
  private int failed;
  private boolean stopped;

  /**
   * A lookup of {@code target} starting from {@code seeds} (typically the routing table's closest contacts).
   *
   * @param k how many closest nodes the lookup converges on
   * @param alpha how many queries may be in flight at once
   * @param maxQueries the most queries this lookup ever starts
   */
  public Lookup(NodeId target, int k, int alpha, int maxQueries, Collection<NodeInfo> seeds) {
    if (k < 1 || alpha < 1 || maxQueries < 1) {
      throw new IllegalArgumentException("k, alpha and maxQueries must be positive");
    }
    this.target = Objects.requireNonNull(target);
    this.k = k;
    this.alpha = alpha;
    this.maxQueries = maxQueries;
    this.candidates = new TreeMap<>(target.distanceOrder());
    for (NodeInfo seed : seeds) {
      add(seed, 0);
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
    int live = 0;
    for (Candidate c : candidates.values()) {
      if (inFlight >= alpha || queried >= maxQueries || live >= k) {
        break;
      }
      if (c.state == State.FAILED) {
        continue;
      }
      live++;
      if (c.state == State.WAITING) {
        c.state = State.IN_FLIGHT;
        inFlight++;
        queried++;
        out.add(c.info);
      }
    }
    return out;
  }

  /**
   * {@code from} answered; {@code closer} are the nodes it told us about. Nodes already known are ignored. Replies
   * from nodes not in flight (late, duplicate or unasked) change nothing.
   */
  public void onSuccess(NodeId from, Collection<NodeInfo> closer) {
    Candidate c = candidates.get(from);
    if (c == null || c.state != State.IN_FLIGHT) {
      return;
    }
    c.state = State.SUCCEEDED;
    inFlight--;
    succeeded++;
    for (NodeInfo n : closer) {
      if (!n.id().equals(from)) {
        add(n, c.depth + 1);
      }
    }
  }

  /** {@code from} did not answer, or answered nonsense. Ignored unless it was in flight. */
  public void onFailure(NodeId from) {
    Candidate c = candidates.get(from);
    if (c == null || c.state != State.IN_FLIGHT) {
      return;
    }
    c.state = State.FAILED;
    inFlight--;
    failed++;
  }

  /** Ends the lookup early (a value was found, or the caller gave up); nothing more will be queried. */
  public void stop() {
    stopped = true;
  }

  /** True when the lookup has converged, ran out of candidates, hit its query cap, or was stopped. */
  public boolean isFinished() {
    if (stopped) {
      return true;
    }
    int live = 0;
    boolean anyWaiting = false;
    for (Candidate c : candidates.values()) {
      if (live >= k) {
        break;
      }
      if (c.state == State.FAILED) {
        continue;
      }
      live++;
      if (c.state == State.IN_FLIGHT) {
        return false;
      }
      if (c.state == State.WAITING) {
        anyWaiting = true;
      }
    }
    // Waiting candidates among the k closest keep the lookup going unless the query budget is spent.
    return !anyWaiting || (queried >= maxQueries && inFlight == 0);
  }

  /** Queries in flight now. */
  public int inFlight() {
    return inFlight;
  }

  /** The up to {@code k} closest nodes that answered, nearest first. */
  public List<NodeInfo> closestSucceeded() {
    List<NodeInfo> out = new ArrayList<>(k);
    for (Candidate c : candidates.values()) {
      if (out.size() >= k) {
        break;
      }
      if (c.state == State.SUCCEEDED) {
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

  private void add(NodeInfo info, int depth) {
    if (seen.putIfAbsent(info.id(), Boolean.TRUE) != null) {
      return;
    }
    candidates.put(info.id(), new Candidate(info, depth));
    prune();
  }

  // Keeps the candidate set bounded: waiting candidates far beyond the k closest can never be queried before
  // the lookup converges, so the farthest ones are dropped (they stay in 'seen' and are never re-added).
  private void prune() {
    int limit = 4 * k + alpha;
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
