package org.dialtone.node.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A clean stop on SIGTERM or Ctrl-C (SIGINT) that exits 0: the JVM's default turns those signals into exit codes
 * 143 and 130, which service managers and scripts read as failures. Handlers for both signals wake the waiting
 * command, which then closes what it runs and returns 0. A shutdown hook still closes things on any other way out.
 *
 * <p>A command {@link #install}s the handlers before it says it is up ("keeping it alive", "watching", the node's
 * banner), so a signal sent as soon as that line appears is already a clean stop.
 */
final class Signals {
  private final CountDownLatch signalled = new CountDownLatch(1);

  private Signals() {}

  /** Handles SIGTERM and SIGINT from now on by waking {@link #runUntilStopped}. */
  static Signals install() {
    Signals s = new Signals();
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> s.signalled.countDown());
      } catch (IllegalArgumentException e) {
        // the signal is not available here (or reserved by the JVM): the shutdown hook covers it
      }
    }
    return s;
  }

  /**
   * Blocks until SIGTERM or SIGINT (also one that came before this call), or for {@code seconds} when positive,
   * then runs {@code stop} once (on this thread, or on the shutdown hook's if the JVM exits some other way).
   */
  void runUntilStopped(long seconds, Runnable stop) {
    Runnable once = new Runnable() {
      private boolean done;

      @Override
      public synchronized void run() {
        if (!done) {
          done = true;
          stop.run();
        }
      }
    };
    Thread hook = new Thread(once, "dialtone-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (seconds > 0) {
        signalled.await(seconds, TimeUnit.SECONDS);
      } else {
        signalled.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      return; // already shutting down: the hook stops things
    }
    once.run();
  }
}
