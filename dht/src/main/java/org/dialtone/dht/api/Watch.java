package org.dialtone.dht.api;

import java.util.concurrent.CompletableFuture;
import org.dialtone.dht.id.NodeId;

/**
 * A live watch of a key (see {@link org.dialtone.dht.DhtNode#watch}): subscriptions held on the nodes closest to the key, renewed in
 * the background with a fresh lookup at half their time to live, until {@link #cancel()} or the node closes.
 */
public interface Watch {
  /** The watched key. */
  NodeId key();

  /**
   * Completes when at least one storing node accepted the subscription (this node counts, when it is itself one of
   * the closest). Fails with {@link ErrorCode#NOT_STORED} (or {@link ErrorCode#TIMEOUT} when no node answered) when
   * the first round found none; the watch keeps trying in the background all the same. Fails with
   * {@link ErrorCode#CANCELLED} or {@link ErrorCode#CLOSED} when cancelled or closed first.
   */
  CompletableFuture<Void> subscribed();

  /** How many storing nodes accepted the subscription in the latest round (0 before the first, and once cancelled). */
  int subscribedNodes();

  /**
   * Stops the watch: no more renewals, and the listener is not called again. When no other watch of this node is on
   * the same key, the storing nodes are asked to drop the subscription; any that miss the request drop it when it
   * expires. Idempotent.
   */
  void cancel();
}
