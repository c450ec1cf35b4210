package org.dialtone.testbed;

/**
 * What a host's or a router's line to the internet does to every packet crossing it, in each direction: a fixed
 * delay plus a uniform jitter of up to {@code ±jitterMillis} (which reorders packets closer together than the
 * jitter), a loss probability, and a probability that a packet skips the delay (reordering). Between two hosts a
 * packet crosses two lines, so their one-way delay is the sum of both and the loss compounds.
 */
public record LinkSpec(double delayMillis, double jitterMillis, double lossPercent, double reorderPercent) {
  /** A perfect line: no delay, no loss. */
  public static final LinkSpec IDEAL = new LinkSpec(0, 0, 0, 0);

  public LinkSpec {
    if (delayMillis < 0 || jitterMillis < 0 || jitterMillis > delayMillis) {
      throw new IllegalArgumentException("need 0 <= jitter <= delay, got " + delayMillis + " ms ± " + jitterMillis);
    }
    if (lossPercent < 0 || lossPercent > 100 || reorderPercent < 0 || reorderPercent > 100) {
      throw new IllegalArgumentException("loss and reorder are percentages, got " + lossPercent + ", "
          + reorderPercent);
    }
  }

  /** A line with {@code delayMillis ± jitterMillis} and nothing else. */
  public static LinkSpec delay(double delayMillis, double jitterMillis) {
    return new LinkSpec(delayMillis, jitterMillis, 0, 0);
  }

  public LinkSpec withLoss(double percent) {
    return new LinkSpec(delayMillis, jitterMillis, percent, reorderPercent);
  }

  public LinkSpec withReorder(double percent) {
    return new LinkSpec(delayMillis, jitterMillis, lossPercent, percent);
  }

  @Override
  public String toString() {
    return delayMillis + "±" + jitterMillis + " ms, loss " + lossPercent + "%, reorder " + reorderPercent + "%";
  }
}
