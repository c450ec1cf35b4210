package org.dialtone.dht.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VertxSchedulerTest {
  private final Vertx vertx = Vertx.vertx();
  private final VertxScheduler scheduler = VertxScheduler.create(vertx);

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void timersFireOnTheContextThread() throws Exception {
    assertFalse(scheduler.inThread(), "the test thread is not the scheduler's");
    CompletableFuture<Boolean> fromOutside = new CompletableFuture<>();
    scheduler.schedule(5, () -> fromOutside.complete(scheduler.inThread()));
    assertTrue(fromOutside.get(10, TimeUnit.SECONDS));

    CompletableFuture<Boolean> fromInside = new CompletableFuture<>();
    scheduler.execute(() -> scheduler.schedule(5, () -> fromInside.complete(scheduler.inThread())));
    assertTrue(fromInside.get(10, TimeUnit.SECONDS));

    CompletableFuture<Boolean> immediate = new CompletableFuture<>();
    scheduler.schedule(0, () -> immediate.complete(scheduler.inThread()));
    assertTrue(immediate.get(10, TimeUnit.SECONDS));
  }

  @Test
  void timersRunInDeadlineOrder() throws Exception {
    List<Integer> order = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(3);
    scheduler.execute(() -> {
      scheduler.schedule(60, () -> {
        order.add(3);
        done.countDown();
      });
      scheduler.schedule(1, () -> {
        order.add(1);
        done.countDown();
      });
      scheduler.schedule(30, () -> {
        order.add(2);
        done.countDown();
      });
    });
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(List.of(1, 2, 3), order);
  }

  @Test
  void cancelStopsATimer() throws Exception {
    AtomicBoolean cancelledRan = new AtomicBoolean();
    AtomicBoolean cancelledInsideRan = new AtomicBoolean();
    CountDownLatch later = new CountDownLatch(1);
    Cancellable fromOutside = scheduler.schedule(20, () -> cancelledRan.set(true));
    fromOutside.cancel();
    fromOutside.cancel();
    scheduler.execute(() -> {
      Cancellable inside = scheduler.schedule(20, () -> cancelledInsideRan.set(true));
      inside.cancel();
      scheduler.schedule(80, later::countDown);
    });
    assertTrue(later.await(10, TimeUnit.SECONDS));
    assertFalse(cancelledRan.get());
    assertFalse(cancelledInsideRan.get());
  }

  @Test
  void aThrowingTaskDoesNotStopLaterOnes() throws Exception {
    CountDownLatch after = new CountDownLatch(2);
    scheduler.execute(() -> {
      throw new IllegalStateException("expected in this test");
    });
    scheduler.schedule(1, () -> {
      throw new IllegalStateException("expected in this test");
    });
    scheduler.execute(after::countDown);
    scheduler.schedule(5, after::countDown);
    assertTrue(after.await(10, TimeUnit.SECONDS));
  }

  @Test
  void createMakesDistinctContextsAndTheClockIsTheSystemClock() throws Exception {
    VertxScheduler other = VertxScheduler.create(vertx);
    assertNotSame(scheduler.context(), other.context());
    CompletableFuture<Boolean> onOther = new CompletableFuture<>();
    other.execute(() -> onOther.complete(other.inThread() && !scheduler.inThread()));
    assertTrue(onOther.get(10, TimeUnit.SECONDS));

    CompletableFuture<VertxScheduler> nested = new CompletableFuture<>();
    scheduler.execute(() -> nested.complete(VertxScheduler.create(vertx)));
    assertNotSame(scheduler.context(), nested.get(10, TimeUnit.SECONDS).context());

    assertTrue(Math.abs(scheduler.clock().epochMillis() - System.currentTimeMillis()) < 1000);
  }
}
