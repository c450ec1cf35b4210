package org.dialtone.dht.time;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * A {@link Scheduler} on one Vert.x event-loop context: every task and timer runs on that context's event-loop thread,
 * one at a time. The only class in the project that touches Vert.x timers.
 *
 * <p>A task that throws is logged and forgotten: an exception never reaches the event loop, and later tasks still run.
 * Its clock is the {@linkplain Clock#system() system clock}.
 */
public final class VertxScheduler implements Scheduler {
  private static final System.Logger LOG = System.getLogger(VertxScheduler.class.getName());

  private final Vertx vertx;
  private final Context context;

  /** A scheduler running on {@code context}, an event-loop context of {@code vertx}. */
  public VertxScheduler(Vertx vertx, Context context) {
    this.vertx = Objects.requireNonNull(vertx, "vertx must not be null");
    this.context = Objects.requireNonNull(context, "context must not be null");
    if (!context.isEventLoopContext()) {
      throw new IllegalArgumentException("a scheduler needs an event-loop context, got " + context.threadingModel());
    }
  }

  /**
   * A scheduler on a fresh event-loop context of {@code vertx}. Called from a thread outside Vert.x, this is the
   * public {@link Vertx#getOrCreateContext()}, which in Vert.x 5 makes a new context on every such call; called on a
   * Vert.x thread (where that method would return the caller's own context) it asks Vert.x's integrator API for a new
   * one.
   */
  public static VertxScheduler create(Vertx vertx) {
    Objects.requireNonNull(vertx, "vertx must not be null");
    Context context = Vertx.currentContext() == null
        ? vertx.getOrCreateContext()
        : ((VertxInternal) vertx).createEventLoopContext();
    return new VertxScheduler(vertx, context);
  }

  /** The Vert.x instance the timers run on. */
  public Vertx vertx() {
    return vertx;
  }

  /** The event-loop context every task runs on; the Vert.x transport binds its socket here. */
  public Context context() {
    return context;
  }

  @Override
  public Clock clock() {
    return Clock.system();
  }

  /**
   * Runs {@code task} on the context after {@code delayMillis}; 0 or less runs it as soon as possible. May be called
   * from any thread, and so may the returned {@link Cancellable}.
   */
  @Override
  public Cancellable schedule(long delayMillis, Runnable task) {
    Objects.requireNonNull(task, "task must not be null");
    TimerTask timer = new TimerTask(delayMillis, task);
    if (delayMillis <= 0) {
      context.runOnContext(v -> timer.fire());
    } else if (onContext()) {
      timer.start();
    } else {
      // A Vert.x timer runs on the context that creates it, so create it on ours.
      context.runOnContext(v -> timer.start());
    }
    return timer;
  }

  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task must not be null");
    context.runOnContext(v -> runSafely(task));
  }

  /** True when the calling thread is the context's event-loop thread, running on behalf of this context. */
  @Override
  public boolean inThread() {
    return onContext();
  }

  private boolean onContext() {
    return Context.isOnEventLoopThread() && Vertx.currentContext() == context;
  }

  private static void runSafely(Runnable task) {
    try {
      task.run();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      LOG.log(Level.ERROR, "scheduled task failed", e);
    }
  }

  /** One scheduled task; the flag makes cancel effective whichever thread calls it and whenever. */
  private final class TimerTask implements Cancellable {
    private final long delayMillis;
    private final Runnable task;
    private volatile boolean done;
    private volatile long timerId = -1;

    TimerTask(long delayMillis, Runnable task) {
      this.delayMillis = delayMillis;
      this.task = task;
    }

    /** On the context: arms the Vert.x timer unless cancelled meanwhile. */
    void start() {
      if (done) {
        return;
      }
      timerId = vertx.setTimer(delayMillis, id -> fire());
      if (done) {
        vertx.cancelTimer(timerId);
      }
    }

    /** On the context: runs the task once, unless cancelled. */
    void fire() {
      if (done) {
        return;
      }
      done = true;
      runSafely(task);
    }

    @Override
    public void cancel() {
      if (done) {
        return;
      }
      done = true;
      long id = timerId;
      if (id >= 0) {
        vertx.cancelTimer(id);
      }
    }
  }
}
