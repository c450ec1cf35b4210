package org.dialtone.dht.node;

import java.lang.System.Logger.Level;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.time.Cancellable;

/**
 * The node's periodic upkeep, every {@linkplain org.dialtone.dht.api.DhtConfig#maintenanceIntervalMillis()
 * interval} with 20% jitter: purge expired records and subscriptions; start over from the seeds when every contact
 * is lost; look for neighbours again while short of k contacts; refresh at most two stale buckets per round, so
 * maintenance traffic stays flat.
 */
public final class Maintenance {
  private static final System.Logger LOG = System.getLogger(Maintenance.class.getName());
  /** Stale buckets refreshed per round; the rest wait for the next. */
  private static final int MAX_REFRESHES_PER_ROUND = 2;

  private final NodeContext ctx;
  private final Contacts contacts;
  private final Bootstrap bootstrap;
  private Cancellable next;

  public Maintenance(NodeContext ctx, Contacts contacts, Bootstrap bootstrap) {
    this.ctx = ctx;
    this.contacts = contacts;
    this.bootstrap = bootstrap;
  }

  /** Schedules the next round (node thread); nothing once the node is closed. */
  public void schedule() {
    if (ctx.isClosed()) {
      return;
    }
    long interval = ctx.config.maintenanceIntervalMillis();
    long jitter = (long) (interval * 0.2 * ctx.random.nextDouble());
    next = ctx.scheduler.schedule(interval - interval / 10 + jitter, () -> {
      try {
        runOnce();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "maintenance failed on " + ctx.identity.nodeId().shortHex(), e);
      }
      schedule();
    });
  }

  /** Stops the rounds (node thread, on close). */
  public void cancel() {
    if (next != null) {
      next.cancel();
    }
  }

  private void runOnce() {
    ctx.store.purgeExpired(ctx.clock.epochMillis());
    ctx.subscriptions.purgeExpired(ctx.clock.monotonicMillis());
    if (ctx.table.size() == 0 && bootstrap.canRestart()) {
      bootstrap.restart(); // lost every contact: start over from the seeds
      return;
    }
    if (!bootstrap.isReady()) {
      return;
    }
    NodeId self = ctx.identity.nodeId();
    if (ctx.table.size() < ctx.config.k()) {
      // Still short of contacts (a lossy join, or a small network that grew): look for our neighbours again.
      new LookupRunner(ctx, contacts, self, LookupRunner.Kind.FIND_NODE, Integer.MAX_VALUE, o -> { }).start();
    }
    int refreshed = 0;
    for (int bucket : ctx.table.bucketsNeedingRefresh(ctx.clock.monotonicMillis(), ctx.config.bucketRefreshMillis())) {
      if (refreshed++ >= MAX_REFRESHES_PER_ROUND) {
        break;
      }
      NodeId target = self.randomWithCommonPrefix(bucket, ctx.random);
      new LookupRunner(ctx, contacts, target, LookupRunner.Kind.FIND_NODE, Integer.MAX_VALUE, o -> { }).start();
    }
  }
}
