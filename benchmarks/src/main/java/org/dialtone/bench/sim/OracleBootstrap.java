package org.dialtone.bench.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.time.VirtualScheduler;

/**
 * Fills the routing tables of a fresh network from global knowledge, as if every node had long been running: for
 * each node and each bucket i, up to k nodes chosen at random among all those that share exactly i leading bits with
 * it (all of them when there are no more than k). That is the table a converged Kademlia node holds.
 *
 * <p>Why: a real join costs a node about a hundred Ed25519 verifications (every contact admitted proves its key), so
 * joining 10^5 nodes through the protocol takes hours of CPU. Only the initial tables are built this way; every later
 * join, lookup and store runs the real protocol.
 *
 * <p>How: the ids are sorted once. The nodes sharing at least i bits with a node form a contiguous run around it in
 * that order, found by binary search; bucket i is the run for i minus the run for i + 1.
 */
public final class OracleBootstrap {
  private static final int BATCH = 2_000;

  private OracleBootstrap() {}

  /**
   * Offers each node of {@code nodes} its converged table through {@link DhtNode#addContacts}, and drives
   * {@code scheduler} until every node has taken them. Returns the number of contacts inserted over all tables.
   */
  public static long build(List<DhtNode> nodes, int k, Random random, VirtualScheduler scheduler) {
    int n = nodes.size();
    Integer[] order = new Integer[n];
    NodeId[] unsortedIds = new NodeId[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      unsortedIds[i] = nodes.get(i).id();
    }
    Arrays.sort(order, Comparator.comparing(i -> unsortedIds[i]));
    NodeId[] ids = new NodeId[n];
    Contact[] contacts = new Contact[n];
    for (int p = 0; p < n; p++) {
      DhtNode node = nodes.get(order[p]);
      ids[p] = unsortedIds[order[p]];
      contacts[p] = new Contact(node.id(), node.publicKey(), node.address()); // shared by every table
    }
    long inserted = 0;
    List<CompletableFuture<Integer>> batch = new ArrayList<>(BATCH);
    for (int p = 0; p < n; p++) {
      batch.add(nodes.get(order[p]).addContacts(tableOf(p, ids, contacts, k, random)));
      if (batch.size() == BATCH || p == n - 1) {
        scheduler.runUntil(() -> batch.get(batch.size() - 1).isDone(), 0);
        for (CompletableFuture<Integer> f : batch) {
          inserted += f.join();
        }
        batch.clear();
      }
    }
    return inserted;
  }

  /** The contacts of the node at sorted position {@code p}: up to k per bucket, farthest bucket first. */
  static List<Contact> tableOf(int p, NodeId[] ids, Contact[] contacts, int k, Random random) {
    NodeId self = ids[p];
    List<Contact> out = new ArrayList<>();
    int lo = 0;
    int hi = ids.length - 1; // [lo, hi] share at least i bits with self
    for (int i = 0; i < NodeId.BITS && lo < hi; i++) {
      int lo2 = firstSharing(ids, self, lo, p, i + 1);
      int hi2 = lastSharing(ids, self, p, hi, i + 1);
      // Bucket i: [lo, lo2) and (hi2, hi]; only one side is non-empty, the one whose bit i differs from self's.
      sample(out, contacts, lo, lo2 - 1, hi2 + 1, hi, k, random);
      lo = lo2;
      hi = hi2;
    }
    return out;
  }

  // The first index in [from, p] whose id shares at least 'bits' leading bits with self (p itself does).
  private static int firstSharing(NodeId[] ids, NodeId self, int from, int p, int bits) {
    int a = from;
    int b = p;
    while (a < b) {
      int m = (a + b) >>> 1;
      if (self.commonPrefixLength(ids[m]) >= bits) {
        b = m;
      } else {
        a = m + 1;
      }
    }
    return a;
  }

  // The last index in [p, to] whose id shares at least 'bits' leading bits with self.
  private static int lastSharing(NodeId[] ids, NodeId self, int p, int to, int bits) {
    int a = p;
    int b = to;
    while (a < b) {
      int m = (a + b + 1) >>> 1;
      if (self.commonPrefixLength(ids[m]) >= bits) {
        a = m;
      } else {
        b = m - 1;
      }
    }
    return a;
  }

  // Adds up to k contacts drawn uniformly without replacement from [a1, b1] and [a2, b2] (either may be empty).
  private static void sample(List<Contact> out, Contact[] contacts, int a1, int b1, int a2, int b2, int k,
      Random random) {
    int n1 = Math.max(0, b1 - a1 + 1);
    int n2 = Math.max(0, b2 - a2 + 1);
    int m = n1 + n2;
    if (m == 0) {
      return;
    }
    int[] picks;
    if (m <= k) {
      picks = new int[m];
      for (int i = 0; i < m; i++) {
        picks[i] = i;
      }
    } else {
      picks = floyd(m, k, random);
    }
    for (int x : picks) {
      out.add(contacts[x < n1 ? a1 + x : a2 + (x - n1)]);
    }
  }

  // Robert Floyd's sampling: k distinct values of [0, m), in ascending order.
  private static int[] floyd(int m, int k, Random random) {
    int[] chosen = new int[k];
    int size = 0;
    for (int j = m - k; j < m; j++) {
      int t = random.nextInt(j + 1);
      boolean seen = false;
      for (int i = 0; i < size; i++) {
        if (chosen[i] == t) {
          seen = true;
          break;
        }
      }
      chosen[size++] = seen ? j : t;
    }
    Arrays.sort(chosen);
    return chosen;
  }
}
