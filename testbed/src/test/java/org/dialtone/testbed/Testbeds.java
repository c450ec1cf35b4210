package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/** What every testbed test does first, and the small helpers they share. */
final class Testbeds {
  private Testbeds() {}

  /**
   * Fails with the one line that says what is missing where labs cannot run, unless {@code DIALTONE_NO_NETNS=1}
   * asks on purpose to skip (then the test is reported as skipped, with the reason).
   */
  static void requireNetns() {
    if ("1".equals(System.getenv("DIALTONE_NO_NETNS"))) {
      Assumptions.abort("DIALTONE_NO_NETNS=1: testbed tests skipped on purpose");
    }
    try {
      Lab.requireSupport();
    } catch (LabUnavailableException e) {
      fail(e.getMessage());
    }
  }

  /** Runs {@code work} on a daemon thread of its own (the common pool has one thread on two cores). */
  static <T> CompletableFuture<T> onOwnThread(String name, Callable<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(work.call());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return f;
  }

  /** The string field {@code name} of a JSON text a command printed; fails the test when there is none. */
  static String jsonField(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    assertTrue(m.find(), "no " + name + " in " + json);
    return m.group(1);
  }
}
