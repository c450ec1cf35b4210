package org.dialtone.bench.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtone.bench.capacity.LoadGenerator.Op;
import org.dialtone.bench.capacity.LoadGenerator.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capacity benchmark end to end at a trickle, with both targets in this process: every request type reaches a
 * real node and a real echo over UDP, the node answers them without refusing (tokens and records are valid), the
 * target's costs are read, and the report is written. Nothing here is timed.
 */
class CapacityBenchTest {
  static final CapacityBench.Options SMALL = new CapacityBench.Options(Path.of("unused"), List.of(200),
      List.of(Op.FIND_NODE, Op.FIND_VALUE, Op.STORE), 8, 200, 1_000, 2_000, false, 8);

  @Test
  void aNodeAnswersEveryKindOfRequestAndTheEchoSendsThemBack(@TempDir Path dir) throws Exception {
    List<CapacityBench.Curve> curves = new java.util.ArrayList<>();
    try (CapacityTarget node = CapacityTarget.start(CapacityTarget.Kind.NODE, 8)) {
      curves.addAll(CapacityBench.measure("node", node, SMALL));
    }
    try (CapacityTarget echo = CapacityTarget.start(CapacityTarget.Kind.ECHO, 1)) {
      curves.addAll(CapacityBench.measure("echo", echo, SMALL));
    }
    assertEquals(6, curves.size());
    for (CapacityBench.Curve c : curves) {
      Step s = c.steps().get(0);
      assertTrue(s.sent() > 0, c.toString());
      assertTrue(s.answered() >= s.sent() / 2, "most requests answered at 200/s: " + s);
      assertEquals(0, s.errors(), "no request refused: " + s);
      assertTrue(s.targetCpuMicrosPerRequest() > 0, "the target's CPU was read: " + s);
    }
    CapacityBench.write(dir, curves, SMALL, false);
    String table = Files.readString(dir.resolve("capacity.md"));
    for (Op op : Op.values()) {
      assertTrue(table.contains("| " + op + " |"), table);
    }
    assertTrue(Files.readString(dir.resolve("capacity.json")).contains("\"servedPerSecond\""));
  }

  @Test
  void capacityIsTheHighestRateWithinTheBounds() {
    Step fast = step(1_000, 1_000, 0, 2);
    Step faster = step(5_000, 4_990, 0.2, 9);
    Step late = step(10_000, 9_000, 0.5, 40);
    Step lossy = step(20_000, 15_000, 25, 3);
    assertEquals(4_990, CapacityBench.capacity(List.of(fast, faster, late, lossy)));
    assertEquals(0, CapacityBench.capacity(List.of(late, lossy)));
  }

  @Test
  void aMistakenArgumentIsNamed() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> CapacityBench.Options.parse("--rate", "5"));
    assertTrue(e.getMessage().contains("--rate"), e.getMessage());
  }

  private static Step step(int offered, double served, double loss, double p99) {
    return new Step(Op.FIND_NODE, offered, offered, (long) served, 0, served, loss, p99 / 2, p99, 10, 100);
  }
}
