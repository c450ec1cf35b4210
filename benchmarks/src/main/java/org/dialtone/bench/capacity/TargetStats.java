package org.dialtone.bench.capacity;

/**
 * One snapshot of the target process's counters, printed by {@link CapacityTarget} as a {@code stats} line.
 *
 * @param epochMillis when it was taken
 * @param cpuNanos the target process's CPU time so far
 * @param allocatedBytes bytes allocated so far by the target's threads (the JVM's per-thread counters, summed)
 * @param datagramsIn datagrams the target has received so far
 */
record TargetStats(long epochMillis, long cpuNanos, long allocatedBytes, long datagramsIn) {
  static final String PREFIX = "stats ";

  String line() {
    return PREFIX + epochMillis + " " + cpuNanos + " " + allocatedBytes + " " + datagramsIn;
  }

  static TargetStats parse(String line) {
    String[] f = line.substring(PREFIX.length()).trim().split(" ");
    return new TargetStats(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
  }

  /** What happened between {@code earlier} and this snapshot. */
  TargetStats minus(TargetStats earlier) {
    return new TargetStats(epochMillis - earlier.epochMillis, cpuNanos - earlier.cpuNanos,
        allocatedBytes - earlier.allocatedBytes, datagramsIn - earlier.datagramsIn);
  }
}
