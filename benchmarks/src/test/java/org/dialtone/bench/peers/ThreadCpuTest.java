package org.dialtone.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.dialtone.bench.peers.ThreadCpu.Kind;
import org.dialtone.bench.peers.ThreadCpu.Snapshot;
import org.junit.jupiter.api.Test;

/** The split of CPU by kind of thread: names to kinds, and the rest as the process's CPU less the named kinds. */
class ThreadCpuTest {
  @Test
  void threadNamesMapToTheirKinds() {
    assertEquals(Kind.EVENT_LOOPS, Kind.of("vert.x-eventloo")); // /proc truncates names to 15 characters
    assertEquals(Kind.JIT, Kind.of("C2 CompilerThre"));
    assertEquals(Kind.JIT, Kind.of("C1 CompilerThre"));
    assertEquals(Kind.GC, Kind.of("VM Thread"));
    assertEquals(Kind.GC, Kind.of("GC Thread#0"));
    assertEquals(Kind.REST, Kind.of("main"));
  }

  @Test
  void splitCountsGrowthOfEachThreadAndLeavesTheRestToTheProcessTotal() {
    Snapshot before = new Snapshot(Map.of(1L, 100_000_000L, 2L, 0L), Map.of(1L, Kind.EVENT_LOOPS, 2L, Kind.JIT),
        1_000_000_000L);
    // thread 3 (GC) appeared; the process also spent 50 ms in threads that ended
    Snapshot after = new Snapshot(Map.of(1L, 700_000_000L, 2L, 200_000_000L, 3L, 50_000_000L),
        Map.of(1L, Kind.EVENT_LOOPS, 2L, Kind.JIT, 3L, Kind.GC), 1_900_000_000L);
    Map<String, Object> split = ThreadCpu.between(before, after);
    assertEquals(600.0, split.get("eventLoopsMs"));
    assertEquals(200.0, split.get("jitMs"));
    assertEquals(50.0, split.get("gcMs"));
    assertEquals(50.0, split.get("restMs"));
    assertEquals(0.667, split.get("eventLoopsShare"));
    assertTrue(ThreadCpu.describe(split).startsWith("eventLoops 0.6 s (67 %), jit 0.2 s (22 %)"),
        ThreadCpu.describe(split));
  }

  @Test
  void aLiveSnapshotOnLinuxSeesThisThread() {
    Snapshot now = ThreadCpu.snapshot();
    if (!System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      assertTrue(now.nanosByTid().isEmpty());
      return;
    }
    assertTrue(now.nanosByTid().size() > 1, now.toString());
    assertTrue(now.processNanos() > 0);
  }
}
