package org.dialtone.node.cli;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A waiting line on a terminal: nothing for the first second (most waits end sooner), then
 * {@code "joining through 127.0.0.1:7440... 3 s"} rewritten in place every second, erased when the wait ends. Off when
 * standard output is not a terminal or with {@code --json}, so scripts and pipes see nothing extra.
 */
public final class Progress {
  private static final Progress OFF = new Progress(null);
  private final PrintStream out;

  private Progress(PrintStream out) {
    this.out = out;
  }

  /** On when {@code enabled} (the caller decides: a terminal and no --json), writing to {@code out}. */
  public static Progress to(PrintStream out, boolean enabled) {
    return enabled ? new Progress(out) : OFF;
  }

  /** Whether this process talks to a person: both standard streams are a terminal. */
  public static boolean interactive() {
    return System.console() != null;
  }

  /** One wait; close it when the wait is over. */
  public Step start(String what) {
    return out == null ? () -> { } : new Ticker(out, what);
  }

  /** A wait in progress. */
  public interface Step extends AutoCloseable {
    @Override
    void close();
  }

  private static final class Ticker implements Step {
    private final PrintStream out;
    private final String what;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dialtone-progress");
      t.setDaemon(true);
      return t;
    });
    private final ScheduledFuture<?> task;
    private volatile int width;

    Ticker(PrintStream out, String what) {
      this.out = out;
      this.what = what;
      this.task = timer.scheduleAtFixedRate(this::tick, 1000, 1000, TimeUnit.MILLISECONDS);
    }

    private synchronized void tick() {
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      String line = what + "... " + seconds + " s";
      width = Math.max(width, line.length());
      out.print("\r" + line);
      out.flush();
    }

    @Override
    public synchronized void close() {
      task.cancel(false);
      timer.shutdownNow();
      if (width > 0) {
        out.print("\r" + " ".repeat(width) + "\r");
        out.flush();
        width = 0;
      }
    }
  }
}
