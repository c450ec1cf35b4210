package org.dialtone.dht.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.VirtualScheduler;
import org.dialtone.dht.transport.Transport;

/**
 * An in-memory UDP network on virtual time, with latency, loss, duplication and partitions. Its endpoints implement the
 * same {@link Transport} as the real socket, so the protocol code runs unchanged on it.
 *
 * <p>Deterministic: every random choice (loss, latency, duplication) comes from one generator seeded at construction,
 * and delivery is a task on the shared {@link VirtualScheduler}. The same seed and the same sequence of calls give the
 * same deliveries at the same virtual instants.
 *
 * <p>Single-threaded, like the scheduler: use it only from the thread that drives the scheduler. Each endpoint holds
 * a few fields, so a simulation of 10^5 nodes fits in an ordinary heap.
 */
public final class SimulatedNetwork {
  /** The latency of a fresh network: every datagram takes one millisecond. */
  public static final Duration DEFAULT_LATENCY = Duration.ofMillis(1);

  /** The first address {@link #bindNext()} hands out is 127.0.0.1 on this port. */
  public static final int FIRST_PORT = 10_000;

  private static final int MAX_RECORDED_ERRORS = 100;
  private static final int NO_GROUP = 0;

  private final VirtualScheduler scheduler;
  private final SplittableRandom random;
  private final Map<PeerAddress, Endpoint> endpoints = new HashMap<>();
  private final Map<PeerAddress, Integer> groups = new HashMap<>();
  private final List<Throwable> handlerErrors = new ArrayList<>();
  private LatencyModel latency = LatencyModel.fixed(DEFAULT_LATENCY);
  private double lossRate;
  private double duplicateRate;
  private int nextGroup = NO_GROUP + 1;
  private long nextIndex;

  private long sent;
  private long delivered;
  private long droppedLoss;
  private long droppedPartition;
  private long droppedNoReceiver;
  private long duplicated;
  private long bytesSent;
  private long handlerErrorCount;

  /** A network whose datagrams travel on {@code scheduler}, with its random choices drawn from {@code seed}. */
  public SimulatedNetwork(VirtualScheduler scheduler, long seed) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
    this.random = new SplittableRandom(seed);
  }

  /** The virtual scheduler that delivers datagrams; nodes on this network should run on it too. */
  public VirtualScheduler scheduler() {
    return scheduler;
  }

  /** An endpoint at {@code address}; fails with {@link IllegalStateException} if an open endpoint holds it. */
  public Transport bind(PeerAddress address) {
    PeerAddress.require(address, "address");
    if (endpoints.containsKey(address)) {
      throw new IllegalStateException(address + " is already bound");
    }
    Endpoint endpoint = new Endpoint(address);
    endpoints.put(address, endpoint);
    return endpoint;
  }

  /**
   * An endpoint at the next free address of a fixed sequence: 127.0.0.1:10000, 127.0.1.1:10000, 127.0.2.1:10000, ...
   * Consecutive addresses sit in different /24 subnets, so subnet limits in routing tables do not bite on a large
   * simulated network; after 65,536 addresses the last octet moves on (127.0.0.2, ...), then the port.
   */
  public Transport bindNext() {
    while (true) {
      PeerAddress address = addressAt(nextIndex++);
      if (!endpoints.containsKey(address)) {
        return bind(address);
      }
    }
  }

  /** The {@code index}-th address of the {@link #bindNext()} sequence. */
  static PeerAddress addressAt(long index) {
    int subnet = (int) (index & 0xffff);
    long round = index >>> 16;
    int host = 1 + (int) (round % 254);
    long port = FIRST_PORT + round / 254;
    if (port > 65535) {
      throw new IllegalStateException("no simulated addresses left");
    }
    byte[] ip = {127, (byte) (subnet >>> 8), (byte) subnet, (byte) host};
    return PeerAddress.of(ip, (int) port);
  }

  /** Sets how long datagrams take from now on; datagrams in flight keep their delay. Default: 1 ms fixed. */
  public void setLatency(LatencyModel model) {
    this.latency = Objects.requireNonNull(model, "model must not be null");
  }

  /** Drops each datagram sent from now on independently with probability {@code p} (0 to 1). */
  public void setLossRate(double p) {
    this.lossRate = probability(p);
  }

  /** Delivers each datagram that is not lost a second time, with its own delay, with probability {@code p}. */
  public void setDuplicateRate(double p) {
    this.duplicateRate = probability(p);
  }

  /**
   * Cuts {@code side} off from every other address until {@link #heal()}: the addresses in {@code side} form a new
   * group, and datagrams pass only between addresses in the same group (at send time and again at delivery). Calling it
   * again carves out a further group, so several partitions can coexist. Addresses need not be bound yet.
   */
  public void partition(Collection<PeerAddress> side) {
    Objects.requireNonNull(side, "side must not be null");
    int group = nextGroup++;
    for (PeerAddress address : side) {
      groups.put(PeerAddress.require(address, "an address in side"), group);
    }
  }

  /** Ends every partition: all addresses are in one group again. */
  public void heal() {
    groups.clear();
  }

  /** The counters so far. */
  public Stats stats() {
    return new Stats(sent, delivered, droppedLoss, droppedPartition, droppedNoReceiver, bytesSent, duplicated,
        handlerErrorCount);
  }

  /**
   * The first exceptions (up to 100) that datagram handlers threw; they are recorded here and not rethrown, so a test
   * can assert that the list is empty.
   */
  public List<Throwable> handlerErrors() {
    return List.copyOf(handlerErrors);
  }

  /** The number of open endpoints. */
  public int endpointCount() {
    return endpoints.size();
  }

  /**
   * What happened to the datagrams so far. {@code sent} counts every send on an open endpoint; each of them ends as one
   * of delivered, droppedLoss, droppedPartition or droppedNoReceiver (or is still in flight), and each of the
   * {@code duplicated} extra copies ends the same way.
   */
  public record Stats(
      long sent,
      long delivered,
      long droppedLoss,
      long droppedPartition,
      long droppedNoReceiver,
      long bytesSent,
      long duplicated,
      long handlerErrors) {
  }

  private static double probability(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("a probability is 0..1, got " + p);
    }
    return p;
  }

  private int groupOf(PeerAddress address) {
    return groups.isEmpty() ? NO_GROUP : groups.getOrDefault(address, NO_GROUP);
  }

  private boolean connected(PeerAddress from, PeerAddress to) {
    return groupOf(from) == groupOf(to);
  }

  private void send(PeerAddress from, PeerAddress to, byte[] datagram) {
    sent++;
    bytesSent += datagram.length;
    if (lossRate > 0 && random.nextDouble() < lossRate) {
      droppedLoss++;
      return;
    }
    if (!connected(from, to)) {
      droppedPartition++;
      return;
    }
    byte[] copy = datagram.clone();
    scheduler.scheduleNanos(delay(from, to), () -> deliver(from, to, copy));
    if (duplicateRate > 0 && random.nextDouble() < duplicateRate) {
      duplicated++;
      byte[] second = datagram.clone();
      scheduler.scheduleNanos(delay(from, to), () -> deliver(from, to, second));
    }
  }

  private long delay(PeerAddress from, PeerAddress to) {
    long nanos = latency.latencyNanos(from, to, random);
    if (nanos < 0) {
      throw new IllegalStateException("the latency model returned a negative delay: " + nanos);
    }
    return nanos;
  }

  private void deliver(PeerAddress from, PeerAddress to, byte[] datagram) {
    if (!connected(from, to)) {
      droppedPartition++;
      return;
    }
    Endpoint receiver = endpoints.get(to);
    if (receiver == null || receiver.handler == null) {
      droppedNoReceiver++;
      return;
    }
    delivered++;
    try {
      receiver.handler.onDatagram(from, datagram);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      handlerErrorCount++;
      if (handlerErrors.size() < MAX_RECORDED_ERRORS) {
        handlerErrors.add(e);
      }
    }
  }

  /** One simulated socket. Kept to a few fields: large simulations hold 10^5 of them. */
  public final class Endpoint implements Transport {
    private final PeerAddress address;
    private DatagramHandler handler;
    private boolean closed;

    private Endpoint(PeerAddress address) {
      this.address = address;
    }

    @Override
    public PeerAddress localAddress() {
      return address;
    }

    /** Sends a copy of {@code datagram}: the caller may reuse the array at once. Does nothing once closed. */
    @Override
    public void send(PeerAddress to, byte[] datagram) {
      PeerAddress.require(to, "to");
      Objects.requireNonNull(datagram, "datagram must not be null");
      if (!closed) {
        SimulatedNetwork.this.send(address, to, datagram);
      }
    }

    @Override
    public void onReceive(DatagramHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler must not be null");
    }

    /** Unbinds the address; datagrams still in flight to it are dropped. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        endpoints.remove(address, this);
      }
    }

    @Override
    public String toString() {
      return "SimulatedEndpoint[" + address + (closed ? ", closed]" : "]");
    }
  }
}
