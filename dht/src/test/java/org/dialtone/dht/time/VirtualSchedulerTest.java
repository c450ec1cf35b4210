package org.dialtone.dht.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Virtual time: tasks run at their due time, in order, and never before, cancelled ones or not. */
class VirtualSchedulerTest {
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final List<String> ran = new ArrayList<>();

  private long now() {
    return scheduler.clock().monotonicMillis();
  }

  private void at(long millis, String name) {
    scheduler.schedule(millis, () -> ran.add(name + "@" + now()));
  }

  @Test
  void tasksRunAtTheirDueTimeInOrderAndTiesInSchedulingOrder() {
    at(30, "c");
    at(10, "a");
    at(10, "b");
    scheduler.advance(100);
    assertEquals(List.of("a@10", "b@10", "c@30"), ran);
    assertEquals(100, now());
  }

  @Test
  void aCancelledTaskAheadOfALaterOneDoesNotLetTheLaterOneRunEarly() {
    Cancellable early = scheduler.schedule(1_000, () -> ran.add("cancelled"));
    at(2_800, "late");
    early.cancel();
    scheduler.advance(1_600);
    assertEquals(List.of(), ran, "a task due at 2,800 ran by 1,600");
    assertEquals(1_600, now());
    scheduler.advance(1_200);
    assertEquals(List.of("late@2800"), ran);
  }

  @Test
  void runUntilStopsAtItsBoundPastCancelledTasksToo() {
    Cancellable early = scheduler.schedule(100, () -> ran.add("cancelled"));
    at(500, "late");
    early.cancel();
    assertFalse(scheduler.runUntil(() -> !ran.isEmpty(), 300));
    assertEquals(List.of(), ran);
    assertEquals(300, now());
    assertTrue(scheduler.runUntil(() -> !ran.isEmpty(), 300));
    assertEquals(List.of("late@500"), ran);
  }
}
