package org.dialtone.node.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A clean stop on SIGTERM or Ctrl-C (SIGINT) that exits 0: the JVM's default turns those signals into exit codes
 * 143 and 130, which service managers and scripts read as failures. Handlers for both signals wake the waiting
 * command, which then closes what it runs and returns 0. A shutdown hook still closes things on any other way out.
 */
final class Signals {
  private Signals() {}

  /**
   * Blocks until SIGTERM or SIGINT, or for {@code seconds} when positive, then runs {@code stop} once (on this
   * thread, or on the hook's if the JVM exits some other way).
   */
  @SuppressWarnings("removal")
  static void runUntilStopped(long seconds, Runnable stop) {
    CountDownLatch signalled = new CountDownLatch(1);
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
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signalled.countDown());
      } catch (IllegalArgumentException e) {
        // the signal is not available here (or reserved by the JVM): the shutdown hook covers it
      }
    }
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
