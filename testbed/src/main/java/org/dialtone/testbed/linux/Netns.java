package org.dialtone.testbed.linux;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs code inside a named network namespace ({@code ip netns add NAME}) from this JVM: a fresh thread enters the
 * namespace with {@code setns(2)} (which affects only that thread), runs the code and ends. Sockets and TUN devices it
 * opens belong to that namespace for their whole life, whichever thread uses them later.
 */
public final class Netns {
  private Netns() {}

  /** Runs {@code action} on a thread inside namespace {@code name}; its exception is rethrown as is. */
  public static <T> T call(String name, Callable<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        enter(name);
        result.complete(action.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "netns-" + name);
    t.setDaemon(true);
    t.start();
    try {
      return result.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) {
        throw ex;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static void enter(String name) {
    LibC c = LibC.INSTANCE;
    int fd = c.open("/var/run/netns/" + name, LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (fd < 0) {
      throw new IllegalStateException("cannot open network namespace " + name + ": " + LibC.lastError());
    }
    try {
      if (c.setns(fd, LibC.CLONE_NEWNET) != 0) {
        throw new IllegalStateException("cannot enter network namespace " + name + ": " + LibC.lastError());
      }
    } finally {
      c.close(fd);
    }
  }
}
