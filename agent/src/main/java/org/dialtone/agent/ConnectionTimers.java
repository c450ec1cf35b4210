package org.dialtone.agent;

import java.time.Duration;
import java.util.Objects;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.time.Scheduler;

/**
 * The timing of one agent connection, on an injected {@link Scheduler}: it reports the connection idle once nothing
 * has arrived for the idle timeout, and asks for a gossip exchange every gossip interval once the connection is
 * established. No Vert.x and no system clock: a connection runs it on a {@code VertxScheduler} of its own context,
 * tests on a {@code VirtualScheduler}.
 *
 * <p>The idle check fires when the timeout would run out if nothing more arrived, and re-arms itself for the new
 * deadline when something did: one timer per connection, however busy it is. Every method may be called from any
 * thread; the reports run on the scheduler's thread.
 */
final class ConnectionTimers {
  /** What the timers report. */
  interface Listener {
    /** Nothing arrived for {@code silentMillis} (at least the idle timeout); the connection should close. */
    void idle(long silentMillis);

    /** A gossip interval has passed since the last exchange. */
    void gossipDue();
  }

  private final Scheduler scheduler;
  private final long idleNanos;
  private final long gossipMillis;
  private final Listener listener;
  private volatile long lastReceivedNanos;
  // Volatile: a connection on a worker context runs its timers on another thread (see AgentContext.connectionScheduler).
  private volatile Cancellable idleCheck = () -> { };
  private volatile Cancellable gossipTick = () -> { };
  private volatile boolean stopped;

  ConnectionTimers(Scheduler scheduler, Duration idleTimeout, Duration gossipInterval, Listener listener) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.idleNanos = idleTimeout.toNanos();
    this.gossipMillis = gossipInterval.toMillis();
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Starts the idle clock: the connection counts as having just received something. */
  void start() {
    lastReceivedNanos = now();
    armIdleCheck(idleNanos);
  }

  /** Something arrived: the idle clock starts again. */
  void received() {
    lastReceivedNanos = now();
  }

  /** The connection is established: gossip every interval from now on. */
  void established() {
    if (!stopped) {
      gossipTick = scheduler.schedule(gossipMillis, this::gossipTick);
    }
  }

  /** Stops both timers; nothing is reported after this. Idempotent. */
  void stop() {
    stopped = true;
    idleCheck.cancel();
    gossipTick.cancel();
  }

  private void armIdleCheck(long delayNanos) {
    if (!stopped) {
      // Round up: firing a little late is harmless, firing early would only re-arm.
      idleCheck = scheduler.schedule((delayNanos + 999_999) / 1_000_000, this::checkIdle);
    }
  }

  private void checkIdle() {
    if (stopped) {
      return;
    }
    long silent = now() - lastReceivedNanos;
    if (silent >= idleNanos) {
      listener.idle(silent / 1_000_000);
    } else {
      armIdleCheck(idleNanos - silent);
    }
  }

  private void gossipTick() {
    if (stopped) {
      return;
    }
    listener.gossipDue();
    gossipTick = scheduler.schedule(gossipMillis, this::gossipTick);
  }

  private long now() {
    return scheduler.clock().nanoTime();
  }
}
