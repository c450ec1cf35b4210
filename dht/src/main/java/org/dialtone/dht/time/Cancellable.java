package org.dialtone.dht.time;

/** A scheduled task that can be called off. Cancelling twice, or after the task ran, does nothing. */
@FunctionalInterface
public interface Cancellable {
  /** Calls the task off if it has not run yet. */
  void cancel();
}
