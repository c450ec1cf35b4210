package org.dialtone.agent.quic;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.time.Clock;
import org.dialtone.dht.time.Scheduler;

/** A {@link Scheduler} on one Netty event loop: the punch's state machine runs on its socket's own thread. */
final class EventLoopScheduler implements Scheduler {
  private final EventLoop loop;
  private final Clock clock;

  EventLoopScheduler(EventLoop loop, Clock clock) {
    this.loop = loop;
    this.clock = clock;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Cancellable schedule(long delayMillis, Runnable task) {
    ScheduledFuture<?> f = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void execute(Runnable task) {
    loop.execute(task);
  }

  @Override
  public boolean inThread() {
    return loop.inEventLoop();
  }
}
