package org.dialtone.bench.peers;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.dialtone.bench.report.Stats;

/**
 * The process's CPU time split by kind of thread, read from {@code /proc/self/task/<tid>/stat}: the event loops that
 * run the nodes, the JIT compilers, the garbage collector and the rest. Process CPU alone cannot say whether a phase
 * paid for the protocol or for warming up the JVM; on one pinned core the compilers and the collector take their
 * time from the same core as the event loops. JFR's samples see Java frames only, and not the compiler threads.
 *
 * <p>Resolution is the kernel's clock tick (10 ms); a thread that ended between two snapshots is not counted (the
 * difference from the process total shows it under {@link Kind#REST}). Outside Linux every snapshot is empty.
 */
final class ThreadCpu {
  /** What a thread does, from its name. */
  enum Kind {
    EVENT_LOOPS, JIT, GC, REST;

    static Kind of(String name) {
      if (name.startsWith("vert.x-eventloo")) {
        return EVENT_LOOPS;
      }
      if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
        return JIT;
      }
      // Serial GC collects in the VM thread; the other collectors name their workers.
      if (name.equals("VM Thread") || name.startsWith("GC Thread") || name.startsWith("G1 ")) {
        return GC;
      }
      return REST;
    }

    String json() {
      return switch (this) {
        case EVENT_LOOPS -> "eventLoops";
        case JIT -> "jit";
        case GC -> "gc";
        case REST -> "rest";
      };
    }
  }

  /** CPU nanoseconds per thread id, with each thread's kind, at one moment. */
  record Snapshot(Map<Long, Long> nanosByTid, Map<Long, Kind> kindByTid, long processNanos) {}

  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100 on Linux

  private ThreadCpu() {}

  /** The CPU time of every live thread of this process now. */
  static Snapshot snapshot() {
    Map<Long, Long> nanos = new LinkedHashMap<>();
    Map<Long, Kind> kinds = new LinkedHashMap<>();
    long process = ProcessMeasurements.cpuNanos();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          long tid = Long.parseLong(task.getFileName().toString());
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15.
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          nanos.put(tid, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK);
          kinds.put(tid, Kind.of(name));
        } catch (IOException | RuntimeException e) {
          // the thread ended while we read it
        }
      }
    } catch (IOException e) {
      // not Linux: an empty snapshot
    }
    return new Snapshot(nanos, kinds, process);
  }

  /**
   * Milliseconds of CPU by kind between two snapshots, and their shares of the process's CPU; {@code rest} is the
   * process's CPU less the named kinds (so ended threads count there).
   */
  static Map<String, Object> between(Snapshot before, Snapshot after) {
    Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
    after.nanosByTid().forEach((tid, nanos) -> {
      Kind kind = after.kindByTid().get(tid);
      if (kind != Kind.REST) {
        byKind.merge(kind, nanos - before.nanosByTid().getOrDefault(tid, 0L), Long::sum);
      }
    });
    long process = after.processNanos() - before.processNanos();
    long named = byKind.values().stream().mapToLong(Long::longValue).sum();
    byKind.put(Kind.REST, Math.max(0, process - named));
    Map<String, Object> out = new LinkedHashMap<>();
    for (Kind kind : Kind.values()) {
      long nanos = byKind.getOrDefault(kind, 0L);
      out.put(kind.json() + "Ms", Stats.round(nanos / 1e6));
    }
    for (Kind kind : Kind.values()) {
      long nanos = byKind.getOrDefault(kind, 0L);
      out.put(kind.json() + "Share", process == 0 ? 0 : Stats.round(nanos / (double) process));
    }
    return out;
  }

  /** One line for the log: "event loops 11.2 s (66 %), jit 4.1 s (24 %), ...". */
  static String describe(Map<String, Object> split) {
    StringBuilder b = new StringBuilder();
    for (Kind kind : Kind.values()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(String.format(Locale.ROOT, "%s %.1f s (%.0f %%)", kind.json(),
          ((Number) split.get(kind.json() + "Ms")).doubleValue() / 1000,
          ((Number) split.get(kind.json() + "Share")).doubleValue() * 100));
    }
    return b.toString();
  }
}
