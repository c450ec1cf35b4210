package org.dialtone.agent;

import java.time.Duration;
import org.dialtone.agent.error.AgentError;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.time.Clock;
import org.dialtone.dht.time.Scheduler;

/**
 * Closes a connection whose peer does not read: one that keeps our send queue full, without a single drain, for a
 * quarter of the idle timeout is failed with TIMEOUT, rather than queued for without end. A queue that is full at
 * every check but drains in between belongs to a busy transfer, not a stuck peer (a 200 MiB echo over a slow path
 * was closed so before drains counted). Checks on the injected {@link Scheduler}.
 */
final class SendQueueWatch {
  /** What the watch needs of its connection. */
  interface Watched {
    boolean writeQueueFull();

    /** How many times the send queue has drained so far (the peer read enough for writers to go on). */
    long drains();

    boolean closed();

    void fail(AgentError code, String why);
  }

  private final Scheduler scheduler;
  private final Clock clock;
  private final Duration idleTimeout;
  private final Watched connection;
  private volatile Cancellable next = () -> { };
  private long queueFullSinceNanos = -1;
  private long drainsThen;

  SendQueueWatch(Scheduler scheduler, Clock clock, Duration idleTimeout, Watched connection) {
    this.scheduler = scheduler;
    this.clock = clock;
    this.idleTimeout = idleTimeout;
    this.connection = connection;
  }

  /** Checks every quarter of the idle timeout (at least every 50 ms) until {@link #stop()} or the connection closes. */
  void start() {
    long check = Math.max(50, idleTimeout.toMillis() / 4);
    next = scheduler.schedule(check, () -> {
      long now = clock.nanoTime();
      long drains = connection.drains();
      if (!connection.writeQueueFull()) {
        queueFullSinceNanos = -1;
      } else if (queueFullSinceNanos < 0 || drains != drainsThen) {
        queueFullSinceNanos = now; // full now, and (again) since the last drain
        drainsThen = drains;
      } else if (now - queueFullSinceNanos > idleTimeout.toNanos() / 4) {
        connection.fail(AgentError.TIMEOUT, "the peer read nothing for " + idleTimeout.toMillis() / 4
            + " ms: send queue full");
        return;
      }
      if (!connection.closed()) {
        start();
      }
    });
  }

  void stop() {
    next.cancel();
  }
}
