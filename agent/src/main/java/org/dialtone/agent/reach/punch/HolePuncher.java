package org.dialtone.agent.reach.punch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.time.Scheduler;

/**
 * One hole punch towards one remote, as a state machine on a {@link Scheduler}: IDLE, then WAITING for the sync
 * delay, then PROBING by its {@link PunchStrategy} within its {@link PunchBudget}, then DONE with a
 * {@link PunchOutcome}. Every method must be called on the scheduler's thread; nothing blocks.
 *
 * <p>The first probe from the remote's host, on any of our sockets, ends the punch: we answer it once from the same
 * socket (so the remote gets a probe through the hole it just opened even if its earlier ones were dropped), close
 * the other sockets we opened, and hand that socket and the remote's address back. Probes from any other host are
 * counted and ignored.
 */
public final class HolePuncher {
  /** The caller's main socket, whose public mapping nodes reported; never closed by the puncher. */
  public static final int MAIN_SOCKET = 0;
  /** Random ports are drawn from 1024..65535: ports below are rarely handed out by NATs. */
  static final int LOWEST_RANDOM_PORT = 1024;

  private enum State { IDLE, WAITING, PROBING, DONE }

  private final Scheduler scheduler;
  private final ProbeIo io;
  private final PunchBudget budget;
  private final RandomGenerator random;
  private final NatType local;
  private final RemotePeer remote;
  private final PunchStrategy strategy;
  private final PunchGuard guard;
  private PunchGuard.Lease lease;
  private final CompletableFuture<PunchOutcome> outcome = new CompletableFuture<>();
  private final List<Integer> opened = new ArrayList<>();
  private State state = State.IDLE;
  private long startedAtMillis = -1;
  private int probesSent;
  private int strayProbes;
  private int ticks;
  private boolean socketsExhausted;
  private Cancellable nextTick = () -> { };
  private Cancellable deadline = () -> { };

  /**
   * A punch from our side, whose NAT is {@code local}, towards {@code remote}, with a {@link PunchGuard} of its own
   * (no bound across punches: for simulations; an agent passes its one guard to the constructor below).
   *
   * @param random draws random ports (a seeded generator in tests and simulations)
   */
  public HolePuncher(Scheduler scheduler, ProbeIo io, PunchBudget budget, RandomGenerator random, NatType local,
      RemotePeer remote) {
    this(scheduler, io, budget, random, local, remote,
        new PunchGuard(scheduler.clock(), PunchGuard.Limits.defaults()));
  }

  /**
   * As above, a random-port or birthday punch admitted only by the agent's {@code guard} (one per remote host, so
   * many at once, a probe budget over time), which every such punch of the agent shares.
   */
  public HolePuncher(Scheduler scheduler, ProbeIo io, PunchBudget budget, RandomGenerator random, NatType local,
      RemotePeer remote, PunchGuard guard) {
    this(scheduler, io, budget, random, local, remote, guard, null);
  }

  /**
   * As above, for a wide punch whose place in {@code guard} was reserved beforehand ({@link PunchGuard#reserve}: a
   * host reserves it when it answers a punch request, so that no other punch takes the place before this one
   * starts): the punch begins and ends {@code reserved} as it would its own lease, whatever the outcome, and asks the
   * guard again only if the reservation lapsed first.
   */
  public HolePuncher(Scheduler scheduler, ProbeIo io, PunchBudget budget, RandomGenerator random, NatType local,
      RemotePeer remote, PunchGuard guard, PunchGuard.Lease reserved) {
    this.lease = reserved;
    this.guard = Objects.requireNonNull(guard, "guard must not be null");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
    this.io = Objects.requireNonNull(io, "io must not be null");
    this.budget = Objects.requireNonNull(budget, "budget must not be null");
    this.random = Objects.requireNonNull(random, "random must not be null");
    this.local = Objects.requireNonNull(local, "local must not be null");
    this.remote = Objects.requireNonNull(remote, "remote must not be null");
    this.strategy = PunchStrategy.choose(local, remote.nat());
  }

  /**
   * DCUtR's timing: the dialler sends SYNC and starts probing half a signaling round trip later, the host starts
   * when SYNC arrives, so both sides' first probes cross in flight.
   */
  public static long dialerStartDelayMillis(long signalingRttMillis) {
    if (signalingRttMillis < 0) {
      throw new IllegalArgumentException("a round trip is not negative, got " + signalingRttMillis);
    }
    return signalingRttMillis / 2;
  }

  /** The strategy this side runs. */
  public PunchStrategy strategy() {
    return strategy;
  }

  /** Completes once, with the outcome. The returned future is a copy: completing it changes nothing here. */
  public CompletableFuture<PunchOutcome> outcome() {
    return outcome.copy();
  }

  /** Probes from hosts other than the remote's, ignored. */
  public int strayProbes() {
    return strayProbes;
  }

  /** Sockets this punch holds open besides the main one (for tests and metrics). */
  public int openSockets() {
    return opened.size();
  }

  /**
   * Starts probing after {@code delayMillis} (see {@link #dialerStartDelayMillis}). A pair that cannot be punched,
   * or a remote that gave nothing to probe, fails at once with its {@link AbortCode}.
   */
  public void start(long delayMillis) {
    if (state != State.IDLE) {
      throw new IllegalStateException("a punch starts once; this one is " + state);
    }
    if (delayMillis < 0) {
      throw new IllegalArgumentException("delayMillis must not be negative, got " + delayMillis);
    }
    AbortCode refusal = precondition();
    if (refusal != null) {
      finish(new PunchOutcome.Failed(strategy, refusal, 0, 0));
      return;
    }
    state = State.WAITING;
    nextTick = scheduler.schedule(delayMillis, this::begin);
  }

  /**
   * A probe arrived on {@code socket} from {@code from}. Accepted while waiting or probing, from the remote's host
   * only, on a socket of this punch.
   */
  public void onProbe(int socket, PeerAddress from) {
    PeerAddress.require(from, "from");
    if ((state != State.WAITING && state != State.PROBING) || !ours(socket)) {
      return;
    }
    if (!fromRemoteHost(from)) {
      strayProbes++;
      return;
    }
    send(socket, from, false);
    if (startedAtMillis < 0) {
      startedAtMillis = now();
    }
    finish(new PunchOutcome.Punched(strategy, socket, from, now() - startedAtMillis, probesSent));
  }

  /** Calls the punch off: CANCELLED, sockets closed. Does nothing once it is done. */
  public void cancel() {
    if (state != State.DONE) {
      fail(AbortCode.CANCELLED);
    }
  }

  private AbortCode precondition() {
    if (strategy == PunchStrategy.RELAY) {
      return local == NatType.RANDOM && remote.nat() == NatType.RANDOM
          ? AbortCode.DOUBLE_RANDOMIZED_NATS : AbortCode.NAT_UNKNOWN;
    }
    if (remote.addresses().isEmpty()) {
      return AbortCode.NO_REMOTE_ADDRESS;
    }
    if (strategy == PunchStrategy.RANDOM_PORTS || strategy == PunchStrategy.BIRTHDAY) {
      if (!remote.verifiedHost()) {
        return AbortCode.REMOTE_ADDRESS_UNVERIFIED;
      }
      if (strategy == PunchStrategy.BIRTHDAY && remote.addresses().get(0).port() == 0) {
        return AbortCode.NO_REMOTE_ADDRESS;
      }
      if (lease != null && lease.begin()) {
        return null; // reserved beforehand, and still held
      }
      PunchGuard.Admission admission = guard.admit(remote.addresses().get(0).ipBytes(), maxProbes());
      if (admission instanceof PunchGuard.Admission.Refused refused) {
        return refused.code();
      }
      lease = ((PunchGuard.Admission.Admitted) admission).lease();
    }
    return null;
  }

  /** The most probes this punch's strategy sends, its echo included. */
  private int maxProbes() {
    return budget.maxProbes(strategy);
  }

  private void begin() {
    state = State.PROBING;
    startedAtMillis = now();
    deadline = scheduler.schedule(budget.deadlineMillis(), () -> fail(AbortCode.DEADLINE));
    tick();
  }

  private void tick() {
    if (state != State.PROBING) {
      return;
    }
    boolean more = switch (strategy) {
      case DIRECT -> directRound();
      case RANDOM_PORTS -> randomPortProbe();
      case BIRTHDAY -> birthdayStep();
      case RELAY -> false;
    };
    if (state != State.PROBING) {
      return;
    }
    ticks++;
    if (!more) {
      fail(opened.isEmpty() && socketsExhausted ? AbortCode.NO_SOCKETS : AbortCode.PROBES_EXHAUSTED);
      return;
    }
    long interval = strategy == PunchStrategy.DIRECT ? budget.directIntervalMillis() : budget.probeIntervalMillis();
    nextTick = scheduler.schedule(interval, this::tick);
  }

  /** One probe to each remote address; false once every round was sent and the last one had its interval. */
  private boolean directRound() {
    if (ticks >= budget.directRounds()) {
      return false;
    }
    for (PeerAddress a : remote.addresses()) {
      if (a.port() != 0) {
        send(MAIN_SOCKET, a, false);
      }
    }
    return true;
  }

  private boolean randomPortProbe() {
    if (ticks >= budget.randomProbes()) {
      return false;
    }
    int port = LOWEST_RANDOM_PORT + random.nextInt(65536 - LOWEST_RANDOM_PORT);
    send(MAIN_SOCKET, PeerAddress.of(remote.addresses().get(0).ipBytes(), port), false);
    return true;
  }

  /**
   * Opens sockets in batches, each probing the remote's mapping once with a low TTL (that opens our mapping towards
   * it without reaching it); then keeps every mapping alive with probes round-robin.
   */
  private boolean birthdayStep() {
    PeerAddress target = remote.addresses().get(0);
    if (opened.size() < budget.birthdaySockets() && !socketsExhausted) {
      for (int i = 0; i < budget.birthdayOpenPerTick() && opened.size() < budget.birthdaySockets(); i++) {
        OptionalInt socket = io.openSocket();
        if (socket.isEmpty()) {
          socketsExhausted = true;
          break;
        }
        opened.add(socket.getAsInt());
        send(socket.getAsInt(), target, true);
      }
      return !opened.isEmpty();
    }
    int keepAlivesSent = probesSent - opened.size();
    if (keepAlivesSent >= budget.birthdayProbes()) {
      return false;
    }
    int index = keepAlivesSent % (opened.size() + 1);
    send(index == opened.size() ? MAIN_SOCKET : opened.get(index), target, false);
    return true;
  }

  private void send(int socket, PeerAddress to, boolean lowTtl) {
    io.sendProbe(socket, to, lowTtl);
    probesSent++;
  }

  private boolean ours(int socket) {
    return socket == MAIN_SOCKET || opened.contains(socket);
  }

  private boolean fromRemoteHost(PeerAddress from) {
    byte[] host = from.ipBytes();
    for (PeerAddress a : remote.addresses()) {
      if (Arrays.equals(a.ipBytes(), host)) {
        return true;
      }
    }
    return false;
  }

  private void fail(AbortCode code) {
    finish(new PunchOutcome.Failed(strategy, code, startedAtMillis < 0 ? 0 : now() - startedAtMillis, probesSent));
  }

  private void finish(PunchOutcome result) {
    state = State.DONE;
    nextTick.cancel();
    deadline.cancel();
    int keep = result instanceof PunchOutcome.Punched p ? p.socket() : MAIN_SOCKET;
    for (int socket : opened) {
      if (socket != keep) {
        io.closeSocket(socket);
      }
    }
    opened.clear();
    if (lease != null) {
      lease.end(probesSent);
    }
    outcome.complete(result);
  }

  private long now() {
    return scheduler.clock().monotonicMillis();
  }
}
