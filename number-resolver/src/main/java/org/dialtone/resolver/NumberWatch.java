package org.dialtone.resolver;

import java.util.concurrent.CompletableFuture;
import org.dialtone.resolver.number.DialNumber;

/** A live feed of a number's events (see {@link NumberResolver#watch}). */
public interface NumberWatch {
  /** The number watched. */
  DialNumber number();

  /**
   * Completes when the watch is subscribed on the nodes that store the number and knows who is already there; events
   * from then on are complete. Who was there before is not reported as JOINED. Fails with a
   * {@link ResolverException} (for example {@link ResolverError#DHT_FAILURE} with the DHT's {@code OVERLOADED} when
   * the node runs as many watches as it may).
   */
  CompletableFuture<Void> ready();

  /** Stops the feed. Idempotent. */
  void cancel();
}
