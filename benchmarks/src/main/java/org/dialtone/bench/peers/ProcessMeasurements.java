package org.dialtone.bench.peers;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmark process costs: CPU time, resident memory, used heap. */
final class ProcessMeasurements {
  private ProcessMeasurements() {}

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static long rssKiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return Runtime.getRuntime().totalMemory() / 1024;
  }

  static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  static void settle() throws InterruptedException {
    System.gc();
    System.gc();
    Thread.sleep(200);
  }
}
