package org.dialtone.dht.node;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message.Ping;

/**
 * Joining the network: ping the seeds with a challenge and admit those that prove their key (up to
 * {@link #ROUNDS} rounds), look up our own id to meet the neighbours, then walk into every farther bucket that is
 * still empty. Owns the node's "ready" signal and the seeds, which {@link Maintenance} falls back on when every contact is
 * lost.
 */
public final class Bootstrap {
  private static final System.Logger LOG = System.getLogger(Bootstrap.class.getName());
  /** Seed pings get more tries than ordinary requests: failing to join is worse than a slow join. */
  static final int ROUNDS = 3;

  private final NodeContext ctx;
  private final Contacts contacts;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private List<PeerAddress> seeds = List.of();
  private boolean running;

  public Bootstrap(NodeContext ctx, Contacts contacts) {
    this.ctx = ctx;
    this.contacts = contacts;
  }

  /** Completes once the node has joined; fails when closed first. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** True once the node has joined. */
  public boolean isReady() {
    return ready.isDone() && !ready.isCompletedExceptionally();
  }

  /** Joins through {@code seeds}, completing {@code result} (node thread). No seeds: the first node, ready now. */
  public void start(List<PeerAddress> seeds, CompletableFuture<Void> result) {
    this.seeds = List.copyOf(seeds);
    pingSeeds(result, 1);
  }

  /** True when there are seeds to start over from and no join is running (node thread). */
  boolean canRestart() {
    return !seeds.isEmpty() && !running;
  }

  /** Starts over from the seeds, as after losing every contact (node thread). */
  void restart() {
    pingSeeds(new CompletableFuture<>(), 1);
  }

  /** Fails the ready signal: the node closed (node thread). */
  public void close(DhtException e) {
    ready.completeExceptionally(e);
  }

  private void pingSeeds(CompletableFuture<Void> result, int round) {
    if (seeds.isEmpty()) {
      markReady();
      result.complete(null);
      return;
    }
    running = true;
    int[] remaining = {seeds.size()};
    for (PeerAddress seed : seeds) {
      byte[] challenge = ctx.newChallenge();
      ctx.rpc.send(seed, tx -> new Ping(tx, ctx.senderKey(), Optional.of(Blob.of(challenge))))
          .whenComplete((reply, error) -> {
            if (reply != null) {
              contacts.onReply(seed, reply.response(), Optional.of(challenge));
            }
            if (--remaining[0] == 0) {
              afterSeedPings(result, round);
            }
          });
    }
  }

  private void afterSeedPings(CompletableFuture<Void> result, int round) {
    if (ctx.isClosed()) {
      result.completeExceptionally(new DhtException(ErrorCode.CLOSED, "node closed"));
      return;
    }
    if (ctx.table.size() == 0 && round < ROUNDS) {
      pingSeeds(result, round + 1);
      return;
    }
    if (ctx.table.size() == 0) {
      running = false;
      result.completeExceptionally(new DhtException(ErrorCode.BOOTSTRAP_FAILED,
          "none of the " + seeds.size() + " bootstrap nodes answered with a valid key after " + round
            + " rounds: " + seeds));
      return;
    }
    selfLookup(result, 1);
  }

  // Meets the neighbours. A self-lookup that lost replies and found fewer than k nodes may have stopped short of
  // our neighbourhood, leaving us unknown to it: it is repeated, a few times at most.
  private void selfLookup(CompletableFuture<Void> result, int round) {
    new LookupRunner(ctx, contacts, self(), LookupRunner.Kind.FIND_NODE, Integer.MAX_VALUE, outcome -> {
      boolean shortOfNeighbours = outcome.stats().failed() > 0 && outcome.closest().size() < ctx.config.k();
      if (shortOfNeighbours && round < ROUNDS && !ctx.isClosed()) {
        selfLookup(result, round + 1);
        return;
      }
      refreshFartherBuckets(() -> {
        running = false;
        markReady();
        result.complete(null);
      });
    }).start();
  }

  /**
   * The join's last step (Kademlia, section 2.3, narrowed): a short lookup into every bucket farther than our
   * closest neighbour that is still empty. The self-lookup only meets nodes near us; without this, a node and its
   * neighbours can all lack the same far region of the keyspace and route around it forever. A bucket that already
   * holds a contact is a way into its region, and walking into it again cost two thirds of a join's datagrams while
   * changing neither lookups' accuracy nor their cost in the simulation (benchmarks' FormationCost), so it waits for
   * the periodic refresh.
   */
  private void refreshFartherBuckets(Runnable then) {
    List<Contact> nearest = ctx.table.closest(self(), 1);
    int limit = nearest.isEmpty() ? 0 : Math.min(ctx.table.bucketIndexOf(nearest.get(0).id()), 255);
    List<Integer> buckets = new ArrayList<>();
    for (int i = 0; i < limit; i++) {
      if (ctx.table.bucketSize(i) == 0) {
        buckets.add(i);
      }
    }
    if (buckets.isEmpty()) {
      then.run();
      return;
    }
    int[] remaining = {buckets.size()};
    int budget = Math.max(ctx.config.alpha(), ctx.config.k() / 2);
    for (int bucket : buckets) {
      NodeId target = self().randomWithCommonPrefix(bucket, ctx.random);
      new LookupRunner(ctx, contacts, target, LookupRunner.Kind.FIND_NODE, Integer.MAX_VALUE, budget, o -> {
        if (--remaining[0] == 0) {
          then.run();
        }
      }).start();
    }
  }

  private void markReady() {
    if (!ready.isDone()) {
      LOG.log(Level.DEBUG, "{0} ready with {1} contacts", self().shortHex(), ctx.table.size());
      ready.complete(null);
    }
  }

  private NodeId self() {
    return ctx.identity.nodeId();
  }
}
