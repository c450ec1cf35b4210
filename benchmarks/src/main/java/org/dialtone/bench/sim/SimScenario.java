package org.dialtone.bench.sim;

import java.util.Locale;

/**
 * One simulation run: a network of {@code nodes} real DHT nodes on the simulated network, a loss rate, a churn rate,
 * and the lookups to measure.
 *
 * @param nodes nodes in the network at the start (and, with churn, at every minute)
 * @param lossRate probability that any datagram is dropped (0..1)
 * @param churnPerHour share of the nodes replaced per simulated hour (0.2 = 20%/hour); spread evenly over the minutes
 * @param minutes simulated minutes over which the lookups are spread (and churn runs)
 * @param records records published (each by a random node, under a random key) before the lookups start
 * @param lookups lookups measured, each for the key of a record whose publisher is live
 * @param minLatencyMillis the shortest one-way delay of a link
 * @param maxLatencyMillis the longest one-way delay of a link
 * @param seed fixes every random choice: the same scenario gives the same result
 */
public record SimScenario(
    int nodes,
    double lossRate,
    double churnPerHour,
    int minutes,
    int records,
    int lookups,
    int minLatencyMillis,
    int maxLatencyMillis,
    long seed) {

  public SimScenario {
    if (nodes < 30 || lossRate < 0 || lossRate >= 1 || churnPerHour < 0 || minutes < 1 || records < 1
        || lookups < 1 || minLatencyMillis < 0 || maxLatencyMillis < minLatencyMillis) {
      throw new IllegalArgumentException("bad scenario");
    }
  }

  /** A scenario with the usual latency of 20 to 200 ms per link. */
  public static SimScenario of(int nodes, double lossRate, double churnPerHour, int minutes, int records,
      int lookups, long seed) {
    return new SimScenario(nodes, lossRate, churnPerHour, minutes, records, lookups, 20, 200, seed);
  }

  /** A short name for files and tables, e.g. {@code n10000-loss10-churn20}. */
  public String name() {
    return String.format(Locale.ROOT, "n%d-loss%d-churn%d", nodes, Math.round(lossRate * 100),
        Math.round(churnPerHour * 100));
  }
}
