package org.dialtone.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.dialtone.agent.error.AgentError;
import org.dialtone.dht.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

/**
 * {@link SendQueueWatch} on virtual time (idle timeout 120 s, so checks every 30 s): a peer that reads nothing is
 * closed; a busy transfer whose queue is full at every check but drains in between is not.
 */
class SendQueueWatchTest {
  private static final Duration IDLE = Duration.ofSeconds(120);

  private final VirtualScheduler clock = new VirtualScheduler();
  private boolean full;
  private long drains;
  private AgentError failed;
  private long failedAtMillis = -1;

  private final SendQueueWatch watch = new SendQueueWatch(clock, clock.clock(), IDLE, new SendQueueWatch.Watched() {
    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public long drains() {
      return drains;
    }

    @Override
    public boolean closed() {
      return failed != null;
    }

    @Override
    public void fail(AgentError code, String why) {
      failed = code;
      failedAtMillis = clock.clock().nanoTime() / 1_000_000;
    }
  });

  @Test
  void aQueueFullWithoutADrainIsClosedWithTimeout() {
    long start = clock.clock().nanoTime() / 1_000_000;
    watch.start();
    full = true;
    clock.advance(30_000); // first check: full since now
    clock.advance(30_000); // full for exactly a quarter: not more yet
    assertNull(failed);
    clock.advance(30_000);
    assertEquals(AgentError.TIMEOUT, failed);
    assertEquals(90_000, failedAtMillis - start);
  }

  @Test
  void aBusyTransferFullAtEveryCheckButDrainingInBetweenStaysOpen() {
    watch.start();
    full = true;
    for (int i = 0; i < 40; i++) { // 20 minutes of a saturated transfer
      clock.advance(15_000);
      drains++; // the peer read: writers went on, and filled the queue again
      clock.advance(15_000);
    }
    assertNull(failed, "a queue that drains is not a stuck peer");
    full = true; // then the peer stops reading for good
    clock.advance(120_000);
    assertEquals(AgentError.TIMEOUT, failed);
  }

  @Test
  void aQueueThatEmptiesResetsTheWatch() {
    watch.start();
    full = true;
    clock.advance(30_000);
    full = false;
    clock.advance(30_000);
    full = true;
    clock.advance(60_000);
    assertNull(failed, "full at two checks with an empty one between is not 'full for 30 s'");
  }
}
