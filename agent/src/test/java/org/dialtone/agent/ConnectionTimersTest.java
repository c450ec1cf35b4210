package org.dialtone.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dialtone.dht.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

/**
 * A connection's idle timeout and gossip period, on virtual time: the same class an {@link AgentConnection} runs on
 * its Vert.x context, driven here by a {@link VirtualScheduler} so that minutes pass in microseconds and exactly.
 */
class ConnectionTimersTest {
  private static final Duration IDLE = Duration.ofSeconds(120);
  private static final Duration GOSSIP = Duration.ofSeconds(30);

  private final VirtualScheduler clock = new VirtualScheduler();
  private final List<Long> idleAt = new ArrayList<>();
  private final List<Long> gossipAt = new ArrayList<>();
  private final ConnectionTimers timers = new ConnectionTimers(clock, IDLE, GOSSIP, new ConnectionTimers.Listener() {
    @Override
    public void idle(long silentMillis) {
      idleAt.add(now());
      assertEquals(IDLE.toMillis(), silentMillis, "reported silence");
    }

    @Override
    public void gossipDue() {
      gossipAt.add(now());
    }
  });

  private long now() {
    return clock.clock().monotonicMillis();
  }

  @Test
  void aSilentConnectionIsIdleExactlyAtTheTimeoutAndNotBefore() {
    timers.start();
    clock.advance(IDLE.toMillis() - 1);
    assertEquals(List.of(), idleAt, "idle reported before the timeout ran out");
    clock.advance(1);
    assertEquals(List.of(IDLE.toMillis()), idleAt);
    clock.advance(10 * IDLE.toMillis());
    assertEquals(1, idleAt.size(), "idle is reported once");
  }

  @Test
  void whatArrivesPushesTheTimeoutBack() {
    timers.start();
    for (int i = 0; i < 10; i++) { // a message every 100 s keeps a 120 s timeout from running out
      clock.advance(100_000);
      timers.received();
    }
    assertEquals(List.of(), idleAt);
    clock.advance(IDLE.toMillis());
    assertEquals(List.of(1_000_000L + IDLE.toMillis()), idleAt, "idle exactly 120 s after the last message");
  }

  @Test
  void anEstablishedConnectionGossipsEveryIntervalUntilStopped() {
    timers.start();
    timers.established();
    for (int i = 0; i < 8; i++) { // keep it alive past the idle timeout
      clock.advance(15_000);
      timers.received();
    }
    assertEquals(List.of(30_000L, 60_000L, 90_000L, 120_000L), gossipAt);
    timers.stop();
    clock.advance(10 * IDLE.toMillis());
    assertEquals(4, gossipAt.size(), "no gossip after stop");
    assertEquals(List.of(), idleAt, "no idle report after stop");
  }

  @Test
  void stoppedBeforeEstablishedNeverGossips() {
    timers.start();
    timers.stop();
    timers.established();
    clock.advance(10 * GOSSIP.toMillis());
    assertEquals(List.of(), gossipAt);
  }
}
