package org.dialtone.dht.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import org.dialtone.dht.id.NodeId;

/**
 * The search behind {@link RoutingTable#closest}: the {@code n} contacts nearest a target, found by visiting buckets
 * in distance order instead of sorting the table.
 *
 * <p>Why the order is right: with j the common prefix length of self and target, every contact in bucket j is nearer
 * the target than any in buckets above j (those share bit j with self, where the target differs), and those are all
 * nearer than bucket j-1, then j-2, down to 0 (a contact in bucket i &lt; j first differs from the target at bit i).
 * So only the groups needed are sorted, and of a large group only as many as are still wanted. A filter (the
 * requester's address family) is applied while the groups are gathered, so the result is that of filtering the table
 * and then taking the nearest, without sorting the whole table.
 */
final class NearestContacts {
  private final Bucket[] buckets;
  private final Comparator<Contact> nearestFirst;
  private final Predicate<Contact> which;
  private final int n;
  private final List<Contact> out;

  private NearestContacts(Bucket[] buckets, NodeId target, Predicate<Contact> which, int n, int members) {
    this.buckets = buckets;
    this.nearestFirst = Comparator.comparing(Contact::id, target.distanceOrder());
    this.which = which;
    this.n = n;
    this.out = new ArrayList<>(Math.min(n, members));
  }

  /**
   * Up to {@code n} members of {@code buckets} (a table of {@code self}'s) that {@code which} accepts, nearest
   * {@code target} first.
   */
  static List<Contact> find(Bucket[] buckets, NodeId self, NodeId target, Predicate<Contact> which, int n,
      int members) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(which, "which");
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    if (n == 0 || members == 0) {
      return List.of();
    }
    NearestContacts search = new NearestContacts(buckets, target, which, n, members);
    int j = self.commonPrefixLength(target);
    if (j < NodeId.BITS) {
      search.collect(j, j);
      search.collect(j + 1, NodeId.BITS - 1);
    }
    for (int i = Math.min(j, NodeId.BITS) - 1; i >= 0 && search.out.size() < n; i--) {
      search.collect(i, i);
    }
    return search.out;
  }

  /** Adds the nearest members of buckets {@code from..to} (one group: all nearer than what comes later). */
  private void collect(int from, int to) {
    if (out.size() >= n) {
      return;
    }
    List<Contact> group = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      if (buckets[i] != null) {
        for (Bucket.Entry entry : buckets[i].entries()) {
          if (which.test(entry.contact)) {
            group.add(entry.contact);
          }
        }
      }
    }
    int take = Math.min(group.size(), n - out.size());
    if (take < group.size()) {
      // Often only a few of a large group are wanted (k + 1 nearest: one more than a full bucket): keep the
      // 'take' nearest in a bounded heap instead of sorting the group. Ids are distinct, so the order is total
      // and the result is the same as sorting everything.
      PriorityQueue<Contact> nearest = new PriorityQueue<>(take + 1, nearestFirst.reversed());
      for (Contact c : group) {
        if (nearest.size() < take) {
          nearest.add(c);
        } else if (nearestFirst.compare(c, nearest.peek()) < 0) {
          nearest.poll();
          nearest.add(c);
        }
      }
      group = new ArrayList<>(nearest);
    }
    group.sort(nearestFirst);
    out.addAll(group.subList(0, take));
  }
}
