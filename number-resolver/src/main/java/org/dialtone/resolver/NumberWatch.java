package org.dialtone.resolver;

import java.util.concurrent.CompletableFuture;
import org.dialtone.resolver.number.DialNumber;

/** A live feed of a number's events (see {@link NumberResolver#watch}). */
public interface NumberWatch {
  /** The number watched. */
  DialNumber number();

  /**
   * Completes when the watch is subscribed on the nodes that store the number and knows who is already there; events
   * from then on are complete. Who was there before is not reported as JOINED.
   */
  CompletableFuture<Void> ready();

  /** Stops the feed. Idempotent. */
  void cancel();
}
