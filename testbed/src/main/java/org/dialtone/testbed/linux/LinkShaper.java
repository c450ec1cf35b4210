package org.dialtone.testbed.linux;

import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A wire between two TUN devices in two namespaces, with delay, jitter and reordering: the kernel here has no
 * {@code sch_netem}, so the packets cross user space. Each direction has a reader thread; a packet is handed to the
 * shared scheduler to be written out after {@code delay ± jitter} (uniform), or at once with probability
 * {@code reorder} (as netem's reorder does), which overtakes the packets still held. Independent jitter reorders too
 * when packets are closer together than the jitter. Loss is not done here: the lab drops packets with nftables.
 */
public final class LinkShaper implements AutoCloseable {
  /** Delay, jitter and reorder probability of one link (both directions). */
  public record Timing(long delayMicros, long jitterMicros, double reorder) {
    public static final Timing NONE = new Timing(0, 0, 0);

    public Timing {
      if (delayMicros < 0 || jitterMicros < 0 || jitterMicros > delayMicros || reorder < 0 || reorder > 1) {
        throw new IllegalArgumentException("need 0 <= jitter <= delay and 0 <= reorder <= 1: " + delayMicros + "us "
            + jitterMicros + "us " + reorder);
      }
    }
  }

  private final Tun a;
  private final Tun b;
  private final ScheduledExecutorService scheduler;
  private final Random random;
  private volatile Timing timing;
  private final Thread aToB;
  private final Thread bToA;

  public LinkShaper(String name, Tun a, Tun b, Timing timing, ScheduledExecutorService scheduler, long seed) {
    this.a = a;
    this.b = b;
    this.timing = timing;
    this.scheduler = scheduler;
    this.random = new Random(seed);
    this.aToB = pump(name + ">", a, b);
    this.bToA = pump(name + "<", b, a);
  }

  /** Changes delay, jitter and reordering from the next packet on. */
  public void timing(Timing t) {
    this.timing = t;
  }

  public Timing timing() {
    return timing;
  }

  private Thread pump(String name, Tun from, Tun to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[Tun.MAX_PACKET];
      while (true) {
        int n = from.read(buf, 100);
        if (n < 0) {
          return;
        }
        if (n == 0) {
          continue;
        }
        byte[] packet = java.util.Arrays.copyOf(buf, n);
        long delay = delayMicros();
        if (delay == 0) {
          to.write(packet, n);
        } else {
          try {
            scheduler.schedule(() -> to.write(packet, n), delay, TimeUnit.MICROSECONDS);
          } catch (java.util.concurrent.RejectedExecutionException e) {
            return; // the lab is closing
          }
        }
      }
    }, "link-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private long delayMicros() {
    Timing t = timing;
    synchronized (random) {
      if (t.reorder() > 0 && random.nextDouble() < t.reorder()) {
        return 0;
      }
      long jitter = t.jitterMicros() == 0 ? 0 : (long) ((random.nextDouble() * 2 - 1) * t.jitterMicros());
      return t.delayMicros() + jitter;
    }
  }

  /** Stops both directions and closes both devices. */
  @Override
  public void close() {
    a.markClosed();
    b.markClosed();
    try {
      aToB.join(2000);
      bToA.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    a.close();
    b.close();
  }
}
