package org.dialtone.dht.time;

import java.util.concurrent.Executor;

/**
 * The single thread a node's protocol logic runs on, with timers. Every callback a scheduler runs, runs on that one
 * thread, one at a time, so the protocol classes need no locks.
 *
 * <p>Implementations: {@code VertxScheduler} (a Vert.x event-loop context, the only class that touches Vert.x
 * timers) and {@link VirtualScheduler} (a virtual clock driven by tests and simulations).
 */
public interface Scheduler extends Executor {
  /** The clock this scheduler's timers run on. */
  Clock clock();

  /** Runs {@code task} on the scheduler's thread after {@code delayMillis} (0 or more). */
  Cancellable schedule(long delayMillis, Runnable task);

  /** Runs {@code task} on the scheduler's thread as soon as possible. */
  @Override
  void execute(Runnable task);

  /** True when the calling thread is this scheduler's thread. */
  boolean inThread();
}
