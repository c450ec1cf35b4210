package org.dialtone.dht.node;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.time.Cancellable;

/**
 * The callers' operations in flight, each with a deadline: an operation starts on the node's thread (unless it was
 * cancelled first or the node is closed), fails with {@link ErrorCode#TIMEOUT} at its deadline, and is stopped
 * exactly once however it ends (result, timeout, cancellation by the caller, or {@link #failAll} on close).
 */
public final class Operations {
  private final NodeContext ctx;
  private final Set<CompletableFuture<?>> active = new LinkedHashSet<>(); // ordered: simulations replay exactly

  public Operations(NodeContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Runs {@code start} on the node's thread with a deadline. {@code start} begins the work and returns what stops
   * it; that runs on timeout, on cancellation by the caller, and never twice.
   */
  public <T> CompletableFuture<T> run(String what, long timeoutMillis,
      Function<CompletableFuture<T>, Runnable> start) {
    CompletableFuture<T> f = new CompletableFuture<>();
    onLoop(f, () -> {
      active.add(f);
      Runnable stop = start.apply(f);
      Cancellable timer = ctx.scheduler.schedule(timeoutMillis, () -> f.completeExceptionally(
          new DhtException(ErrorCode.TIMEOUT, what + " did not finish within " + timeoutMillis + " ms")));
      f.whenComplete((v, e) -> {
        timer.cancel();
        ctx.scheduler.execute(() -> {
          active.remove(f);
          stop.run();
        });
      });
    });
    return f;
  }

  /**
   * Runs {@code body} on the node's thread unless {@code f} is already done (cancelled before it started); fails
   * {@code f} with {@link ErrorCode#CLOSED} when the node is closed, and with whatever {@code body} throws.
   */
  public void onLoop(CompletableFuture<?> f, Runnable body) {
    ctx.scheduler.execute(() -> {
      if (f.isDone()) {
        return; // cancelled before it started
      }
      if (ctx.isClosed()) {
        f.completeExceptionally(new DhtException(ErrorCode.CLOSED, "node is closed"));
        return;
      }
      try {
        body.run();
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
  }

  /** Fails every operation in flight with {@code e} (node thread, on close). */
  public void failAll(DhtException e) {
    for (CompletableFuture<?> op : List.copyOf(active)) {
      op.completeExceptionally(e);
    }
  }
}
