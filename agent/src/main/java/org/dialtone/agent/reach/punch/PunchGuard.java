package org.dialtone.agent.reach.punch;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.dialtone.dht.time.Clock;

/**
 * The bounds over every wide punch one agent runs (RANDOM_PORTS and BIRTHDAY: the strategies that send hundreds of
 * probes), whoever asks for them: one at a time per remote host (keyed by host, not by key: keys are free), at most
 * {@link Limits#atOnce()} at once (a birthday punch holds hundreds of sockets), and probe budgets over time: the
 * probes of the punches started in any {@link Limits#windowMillis()} add up to at most
 * {@link Limits#probesPerHost()} towards one remote host and {@link Limits#probesPerAgent()} in all. A punch
 * reserves its strategy's whole budget when it starts and gives back what it did not send when it ends, so a peer
 * that reconnects again and again gets a few full punches a minute, not a stream of probes at one address.
 * Thread-safe; on an injected {@link Clock}.
 */
public final class PunchGuard {
  /**
   * @param atOnce wide punches running at once
   * @param probesPerHost probes of the wide punches towards one remote host started within one window, together
   * @param probesPerAgent probes of every wide punch started within one window, together
   * @param windowMillis the window
   */
  public record Limits(int atOnce, long probesPerHost, long probesPerAgent, long windowMillis) {
    /** Validates. */
    public Limits {
      if (atOnce <= 0 || probesPerHost <= 0 || probesPerAgent <= 0 || windowMillis <= 0) {
        throw new IllegalArgumentException("limits must be positive: " + atOnce + ", " + probesPerHost + ", "
            + probesPerAgent + ", " + windowMillis);
      }
    }

    /**
     * Two wide punches at once; per minute, four full random-port punches' probes (4 x 1,751, the echo included)
     * towards one remote host and eight in all.
     */
    public static Limits defaults() {
      long full = PunchBudget.defaults().randomProbes() + 1L;
      return new Limits(2, 4 * full, 8 * full, 60_000);
    }
  }

  /**
   * A wide punch's hold on the guard; {@link #end} it once with the probes it sent. A lease {@linkplain #reserve
   * reserved} ahead of its punch lapses unless the punch {@linkplain #begin() begins} within the hold.
   */
  public final class Lease {
    private final HostKey host;
    private final Spend spend;
    private long lapsesAtMillis; // Long.MAX_VALUE once begun, or when admitted to run at once
    private boolean ended;

    private Lease(HostKey host, Spend spend, long lapsesAtMillis) {
      this.host = host;
      this.spend = spend;
      this.lapsesAtMillis = lapsesAtMillis;
    }

    /**
     * The punch this lease was reserved for begins: true, and the lease no longer lapses; false when it lapsed or
     * ended first (the place may be another punch's by now).
     */
    public boolean begin() {
      synchronized (PunchGuard.this) {
        lapseDue();
        if (ended) {
          return false;
        }
        lapsesAtMillis = Long.MAX_VALUE;
        return true;
      }
    }

    /** True while the lease holds its place: not ended, and not lapsed. */
    public boolean held() {
      synchronized (PunchGuard.this) {
        lapseDue();
        return !ended;
      }
    }

    /** The punch ended having sent {@code probesSent}: the rest of its reservation is given back. */
    public void end(int probesSent) {
      synchronized (PunchGuard.this) {
        if (ended) {
          return;
        }
        ended = true;
        running.remove(host);
        leases.remove(this);
        spend.probes = Math.min(spend.probes, Math.max(0, probesSent));
      }
    }
  }

  private record HostKey(byte[] ip) {
    @Override
    public boolean equals(Object o) {
      return o instanceof HostKey h && Arrays.equals(ip, h.ip);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ip);
    }
  }

  private static final class Spend {
    final HostKey host;
    final long atMillis;
    long probes;

    Spend(HostKey host, long atMillis, long probes) {
      this.host = host;
      this.atMillis = atMillis;
      this.probes = probes;
    }
  }

  private final Clock clock;
  private final Limits limits;
  private final Set<HostKey> running = new HashSet<>();
  /** The leases not ended, at most {@link Limits#atOnce()}: the reserved ones lapse here. */
  private final Set<Lease> leases = new HashSet<>();
  /** Starts within the window, oldest first; at most probesPerAgent of them (each reserves at least one probe). */
  private final ArrayDeque<Spend> spends = new ArrayDeque<>();

  /** A guard on {@code clock} with {@code limits}. */
  public PunchGuard(Clock clock, Limits limits) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.limits = Objects.requireNonNull(limits, "limits must not be null");
  }

  /** The limits. */
  public Limits limits() {
    return limits;
  }

  /**
   * Admits a wide punch towards {@code host} that may send up to {@code maxProbes}, or says why not:
   * {@link AbortCode#REMOTE_HOST_BUSY} (one runs towards that host) or {@link AbortCode#PROBE_BUDGET} (too many at
   * once, or the window's probes are spent).
   */
  public synchronized Admission admit(byte[] host, int maxProbes) {
    return admit(host, maxProbes, Long.MAX_VALUE);
  }

  /**
   * As {@link #admit}, for a punch that starts later (a host answers a request; the dialler's SYNC starts the punch):
   * the place and the probes are held for {@code holdMillis}, and the lease lapses, giving both back, unless its
   * punch {@linkplain Lease#begin() begins} by then. So a peer that asks and never goes on holds a place that long at
   * most.
   */
  public synchronized Admission reserve(byte[] host, int maxProbes, long holdMillis) {
    if (holdMillis <= 0) {
      throw new IllegalArgumentException("holdMillis must be positive, got " + holdMillis);
    }
    return admit(host, maxProbes, clock.monotonicMillis() + holdMillis);
  }

  private Admission admit(byte[] host, int maxProbes, long lapsesAtMillis) {
    if (maxProbes <= 0) {
      throw new IllegalArgumentException("maxProbes must be positive, got " + maxProbes);
    }
    lapseDue();
    HostKey key = new HostKey(host.clone());
    if (running.contains(key)) {
      return new Admission.Refused(AbortCode.REMOTE_HOST_BUSY);
    }
    if (running.size() >= limits.atOnce() || spentInWindow() + maxProbes > limits.probesPerAgent()
        || sum(key) + maxProbes > limits.probesPerHost()) {
      return new Admission.Refused(AbortCode.PROBE_BUDGET);
    }
    running.add(key);
    Spend spend = new Spend(key, clock.monotonicMillis(), maxProbes);
    spends.addLast(spend);
    Lease lease = new Lease(key, spend, lapsesAtMillis);
    leases.add(lease);
    return new Admission.Admitted(lease);
  }

  // Reserved leases whose punch did not begin in time end, having sent nothing.
  private void lapseDue() {
    long now = clock.monotonicMillis();
    for (Lease l : List.copyOf(leases)) {
      if (l.lapsesAtMillis <= now) {
        l.end(0);
      }
    }
  }

  /** Probes sent or reserved by the wide punches started within the window ending now. */
  public synchronized long spentInWindow() {
    lapseDue();
    return sum(null);
  }

  /** As {@link #spentInWindow()}, towards {@code host} only. */
  public synchronized long spentInWindow(byte[] host) {
    lapseDue();
    return sum(new HostKey(host.clone()));
  }

  private long sum(HostKey host) {
    long since = clock.monotonicMillis() - limits.windowMillis();
    long sum = 0;
    for (Iterator<Spend> it = spends.iterator(); it.hasNext(); ) {
      Spend s = it.next();
      if (s.atMillis <= since) {
        it.remove(); // older than the window: no longer counted
      } else if (host == null || host.equals(s.host)) {
        sum += s.probes;
      }
    }
    return sum;
  }

  /** Wide punches running now, or reserved and not lapsed. */
  public synchronized int running() {
    lapseDue();
    return running.size();
  }

  /** The guard's answer. */
  public sealed interface Admission {
    /** Admitted: {@link Lease#end} the lease when the punch ends. */
    record Admitted(Lease lease) implements Admission {}

    /** Refused, with the reason. */
    record Refused(AbortCode code) implements Admission {}
  }
}
