package org.dialtone.dht.api;

import java.util.concurrent.CompletableFuture;
import org.dialtone.dht.id.NodeId;

/**
 * A record a node keeps alive for its publisher (see {@link org.dialtone.dht.DhtNode#publish}). Cancelling stops the republishing;
 * the last stored copy then expires on its own.
 */
public interface Publication {
  /** The key the record is published under. */
  NodeId key();

  /** The first put: completes when the record is stored, fails as {@link org.dialtone.dht.DhtNode#put} fails. */
  CompletableFuture<PutResult> firstPut();

  /** The sequence number of the copy published last. */
  long currentSeq();

  /** Stops republishing. Idempotent. */
  void cancel();
}
