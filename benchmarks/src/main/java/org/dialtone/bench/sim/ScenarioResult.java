package org.dialtone.bench.sim;

import java.util.List;

/**
 * What one {@link SimScenario} measured: the simulated outcome (identical for identical seeds) and the resources the
 * simulation itself took (which vary from machine to machine).
 */
public record ScenarioResult(SimScenario scenario, Measured measured, Resources resources) {

  /**
   * The simulated outcome; deterministic for a given scenario.
   *
   * @param lookups lookups counted (started, and their reader did not leave during the lookup)
   * @param found lookups that returned the record asked for
   * @param aborted lookups not counted because their reader left the network while they ran
   * @param hops first-value lookups ({@code GetOptions.first()}): p50, p99 and mean of the referral hops
   * @param messages first-value lookups: request datagrams per lookup (retransmissions included), p50 and p99
   * @param latencyMillis first-value lookups: simulated time from start to result, p50 and p99
   * @param fullHops full lookups ({@code findClosest}) of the same key from the same reader: hops p50, p99, mean
   * @param fullMessages full lookups: request datagrams, p50 and p99
   * @param fullLatencyMillis full lookups: simulated time, p50 and p99
   * @param latencyCdfMillis first-value lookup latency at percentiles 0, 1, ..., 100
   * @param published records whose first put stored at least one replica
   * @param publishFailed records whose first put failed
   * @param removed nodes that left (crashed) during the run
   * @param joined fresh nodes that joined through the real bootstrap protocol during the run
   * @param joinFailed joins that had not succeeded by the end of the run
   * @param liveAtEnd nodes in the network at the end
   * @param meanInitialContacts routing-table size after the oracle bootstrap, averaged over the nodes
   * @param datagrams datagrams sent on the simulated network over the whole run (maintenance included)
   * @param datagramsLost datagrams the network dropped
   * @param events tasks the virtual scheduler ran
   * @param handlerErrors exceptions thrown by datagram handlers (a bug if not 0)
   * @param simulatedSeconds virtual time at the end of the run
   */
  public record Measured(
      int lookups,
      int found,
      int aborted,
      Percentiles hops,
      Percentiles messages,
      Percentiles latencyMillis,
      Percentiles fullHops,
      Percentiles fullMessages,
      Percentiles fullLatencyMillis,
      List<Double> latencyCdfMillis,
      int published,
      int publishFailed,
      int removed,
      int joined,
      int joinFailed,
      int liveAtEnd,
      double meanInitialContacts,
      long datagrams,
      long datagramsLost,
      long events,
      long handlerErrors,
      double simulatedSeconds) {

    /** Found / counted lookups, 0..1. */
    public double successRate() {
      return lookups == 0 ? 0 : (double) found / lookups;
    }
  }

  /** p50, p99 and mean of a measurement. */
  public record Percentiles(double p50, double p99, double mean) {
    static Percentiles of(Samples s, double scale) {
      return new Percentiles(round(s.percentile(50) / scale), round(s.percentile(99) / scale), round(s.mean() / scale));
    }

    private static double round(double v) {
      return Math.round(v * 100) / 100.0;
    }
  }

  /**
   * What the simulation cost on this machine.
   *
   * @param setupSeconds wall time to create the nodes (key generation) and build their tables
   * @param publishSeconds wall time to publish the records
   * @param runSeconds wall time of the measured part (lookups, churn, maintenance)
   * @param totalSeconds wall time of the whole scenario
   * @param cpuSeconds CPU time of the simulation thread over the whole scenario (the simulation runs on one thread;
   *     unlike wall time, it does not grow when other processes share the machine)
   * @param gcSeconds time the JVM reports spent in garbage collection during the scenario (the collector runs on
   *     other threads, partly in parallel with the simulation)
   * @param heapAfterSetupBytes live heap after a full GC once the network was built
   * @param heapAfterRunBytes live heap after a full GC at the end of the run
   * @param bytesPerNode (heap at the end of the run - heap before the network existed) / nodes
   */
  public record Resources(
      double setupSeconds,
      double publishSeconds,
      double runSeconds,
      double totalSeconds,
      double cpuSeconds,
      double gcSeconds,
      long heapAfterSetupBytes,
      long heapAfterRunBytes,
      long bytesPerNode) {
  }
}
