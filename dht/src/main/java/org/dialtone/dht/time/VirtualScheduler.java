package org.dialtone.dht.time;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A scheduler on virtual time, for tests and simulations: nothing happens until the test drives it, and the same
 * inputs always give the same order of events. Tasks due at the same instant run in the order they were scheduled.
 *
 * <p>Single-threaded: drive it from one thread only. Many nodes may share one virtual scheduler; a whole simulated
 * network then runs on the driving thread.
 */
public final class VirtualScheduler implements Scheduler {
  /** Virtual epoch time at which every simulation starts: 2026-01-01T00:00:00Z. */
  public static final long DEFAULT_EPOCH_MILLIS = 1_767_225_600_000L;

  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final long epochOffsetMillis;
  private long nowNanos;
  private long sequence;
  private long executed;
  private Thread owner;

  private final Clock clock = new Clock() {
    @Override
    public long epochMillis() {
      return epochOffsetMillis + nowNanos / 1_000_000L;
    }

    @Override
    public long nanoTime() {
      return nowNanos;
    }
  };

  /** A scheduler whose clock starts at {@link #DEFAULT_EPOCH_MILLIS}. */
  public VirtualScheduler() {
    this(DEFAULT_EPOCH_MILLIS);
  }

  /** A scheduler whose wall clock starts at {@code epochMillis}. */
  public VirtualScheduler(long epochMillis) {
    this.epochOffsetMillis = epochMillis;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Cancellable schedule(long delayMillis, Runnable task) {
    return scheduleNanos(Math.max(0, delayMillis) * 1_000_000L, task);
  }

  /** Schedules {@code task} after {@code delayNanos} of virtual time (sub-millisecond latencies in simulations). */
  public Cancellable scheduleNanos(long delayNanos, Runnable task) {
    Task t = new Task(nowNanos + Math.max(0, delayNanos), sequence++, task);
    queue.add(t);
    return () -> t.cancelled = true;
  }

  @Override
  public void execute(Runnable task) {
    scheduleNanos(0, task);
  }

  /** True on the thread that drives this scheduler (the first thread that ran a task, or any before that). */
  @Override
  public boolean inThread() {
    return owner == null || owner == Thread.currentThread();
  }

  /** Runs the next due task, advancing the clock to its time; false when nothing is scheduled. */
  public boolean runNext() {
    Task t;
    do {
      t = queue.poll();
      if (t == null) {
        return false;
      }
    } while (t.cancelled);
    owner = Thread.currentThread();
    nowNanos = Math.max(nowNanos, t.dueNanos);
    executed++;
    t.task.run();
    return true;
  }

  /** Runs every task due within the next {@code millis} of virtual time, then sets the clock to that time. */
  public void advance(long millis) {
    long until = nowNanos + millis * 1_000_000L;
    while (true) {
      Task head = head();
      if (head == null || head.dueNanos > until) {
        break;
      }
      runNext();
    }
    nowNanos = Math.max(nowNanos, until);
  }

  /**
   * Runs tasks until {@code condition} holds or virtual time passes {@code maxMillis} from now; returns whether the
   * condition holds. The condition is checked before every task.
   */
  public boolean runUntil(BooleanSupplier condition, long maxMillis) {
    long until = nowNanos + maxMillis * 1_000_000L;
    while (!condition.getAsBoolean()) {
      Task head = head();
      if (head == null || head.dueNanos > until) {
        nowNanos = Math.max(nowNanos, Math.min(until, head == null ? until : head.dueNanos));
        return condition.getAsBoolean();
      }
      runNext();
    }
    return true;
  }

  /**
   * The next task that will run, cancelled ones before it discarded. The bounds of {@link #advance} and
   * {@link #runUntil} are checked against it: checked against a cancelled task, {@link #runNext} would skip that one
   * and run a later task early.
   */
  private Task head() {
    Task t = queue.peek();
    while (t != null && t.cancelled) {
      queue.poll();
      t = queue.peek();
    }
    return t;
  }

  /** Tasks waiting, including cancelled ones not yet discarded. */
  public int pending() {
    return queue.size();
  }

  /** Tasks run so far. */
  public long executed() {
    return executed;
  }

  private static final class Task implements Comparable<Task> {
    final long dueNanos;
    final long seq;
    final Runnable task;
    boolean cancelled;

    Task(long dueNanos, long seq, Runnable task) {
      this.dueNanos = dueNanos;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Task o) {
      int c = Long.compare(dueNanos, o.dueNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
