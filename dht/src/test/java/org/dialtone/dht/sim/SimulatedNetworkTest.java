package org.dialtone.dht.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.VirtualScheduler;
import org.dialtone.dht.transport.Transport;
import org.junit.jupiter.api.Test;

class SimulatedNetworkTest {
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final SimulatedNetwork network = new SimulatedNetwork(scheduler, 42);

  /** One delivery as a handler saw it. */
  record Delivery(long atNanos, PeerAddress from, PeerAddress to, byte[] bytes) {
    String key() {
      return atNanos + " " + from + " -> " + to + " " + java.util.Arrays.toString(bytes);
    }
  }

  private List<Delivery> record(Transport t, List<Delivery> into) {
    t.onReceive((from, bytes) -> into.add(new Delivery(scheduler.clock().nanoTime(), from, t.localAddress(), bytes)));
    return into;
  }

  @Test
  void deliversAfterTheFixedDefaultLatency() {
    Transport a = network.bindNext();
    Transport b = network.bindNext();
    List<Delivery> got = record(b, new ArrayList<>());
    a.send(b.localAddress(), new byte[] {1, 2, 3});
    scheduler.advance(0);
    assertEquals(List.of(), got, "nothing arrives before the latency has passed");
    while (scheduler.runNext()) {
      // drain
    }
    assertEquals(1, got.size());
    assertEquals(1_000_000L, got.get(0).atNanos());
    assertEquals(a.localAddress(), got.get(0).from());
    assertArrayEquals(new byte[] {1, 2, 3}, got.get(0).bytes());
    assertEquals(new SimulatedNetwork.Stats(1, 1, 0, 0, 0, 3, 0, 0), network.stats());
  }

  @Test
  void latencyDecidesTheOrderOfArrival() {
    Transport slow = network.bindNext();
    Transport fast = network.bindNext();
    Transport sink = network.bindNext();
    List<Delivery> got = record(sink, new ArrayList<>());
    network.setLatency((from, to, rng) -> from.equals(slow.localAddress()) ? 30_000_000L : 5_000_000L);
    slow.send(sink.localAddress(), new byte[] {1});
    scheduler.advance(2);
    fast.send(sink.localAddress(), new byte[] {2});
    scheduler.advance(100);
    assertEquals(2, got.size());
    assertEquals(fast.localAddress(), got.get(0).from());
    assertEquals(7_000_000L, got.get(0).atNanos());
    assertEquals(slow.localAddress(), got.get(1).from());
    assertEquals(30_000_000L, got.get(1).atNanos());
  }

  @Test
  void sameInstantDeliveriesKeepSendOrder() {
    Transport a = network.bindNext();
    Transport b = network.bindNext();
    List<Delivery> got = record(b, new ArrayList<>());
    for (int i = 0; i < 10; i++) {
      a.send(b.localAddress(), new byte[] {(byte) i});
    }
    scheduler.advance(1);
    for (int i = 0; i < 10; i++) {
      assertEquals(i, got.get(i).bytes()[0]);
    }
  }

  @Test
  void sendCopiesTheBytes() {
    Transport a = network.bindNext();
    Transport b = network.bindNext();
    List<Delivery> got = record(b, new ArrayList<>());
    byte[] buffer = {7, 7, 7};
    a.send(b.localAddress(), buffer);
    buffer[0] = 9;
    scheduler.advance(5);
    assertArrayEquals(new byte[] {7, 7, 7}, got.get(0).bytes());
  }

  @Test
  void lossRateIsRoughlyTheProbability() {
    Transport a = network.bindNext();
    Transport b = network.bindNext();
    int[] received = {0};
    b.onReceive((from, bytes) -> received[0]++);
    network.setLossRate(0.3);
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      a.send(b.localAddress(), new byte[] {1});
    }
    scheduler.advance(10);
    SimulatedNetwork.Stats stats = network.stats();
    assertEquals(n, stats.sent());
    assertEquals(n, stats.delivered() + stats.droppedLoss());
    assertEquals(stats.delivered(), received[0]);
    double rate = stats.droppedLoss() / (double) n;
    assertTrue(rate > 0.27 && rate < 0.33, "loss rate " + rate);
  }

  @Test
  void partitionDropsAcrossSidesAndHealRestores() {
    Transport a = network.bindNext();
    Transport b = network.bindNext();
    Transport c = network.bindNext();
    List<Delivery> got = new ArrayList<>();
    record(a, got);
    record(b, got);
    record(c, got);
    network.partition(List.of(a.localAddress(), b.localAddress()));

    a.send(b.localAddress(), new byte[] {1});
    a.send(c.localAddress(), new byte[] {2});
    c.send(b.localAddress(), new byte[] {3});
    scheduler.advance(10);
    assertEquals(1, got.size());
    assertEquals(1, got.get(0).bytes()[0]);
    assertEquals(2, network.stats().droppedPartition());

    network.heal();
    a.send(c.localAddress(), new byte[] {4});
    c.send(b.localAddress(), new byte[] {5});
    scheduler.advance(10);
    assertEquals(3, got.size());
  }

  @Test
  void severalPartitionsAreSeparateGroups() {
    Transport a = network.bindNext();
    Transport b = network.bindNext();
    Transport c = network.bindNext();
    List<Delivery> got = new ArrayList<>();
    record(a, got);
    record(b, got);
    record(c, got);
    network.partition(List.of(a.localAddress()));
    network.partition(List.of(b.localAddress()));
    a.send(b.localAddress(), new byte[] {1});
    b.send(c.localAddress(), new byte[] {2});
    c.send(a.localAddress(), new byte[] {3});
    a.send(a.localAddress(), new byte[] {4});
    scheduler.advance(10);
    assertEquals(1, got.size());
    assertEquals(4, got.get(0).bytes()[0]);
  }

  @Test
  void aPartitionCutsDatagramsAlreadyInFlight() {
    Transport a = network.bindNext();
    Transport b = network.bindNext();
    List<Delivery> got = record(b, new ArrayList<>());
    network.setLatency(LatencyModel.fixed(Duration.ofMillis(50)));
    a.send(b.localAddress(), new byte[] {1});
    scheduler.advance(10);
    network.partition(List.of(a.localAddress()));
    scheduler.advance(100);
    assertEquals(List.of(), got);
    assertEquals(1, network.stats().droppedPartition());
  }

  @Test
  void closedEndpointReceivesNothing() {
    Transport a = network.bindNext();
    Transport b = network.bindNext();
    List<Delivery> got = record(b, new ArrayList<>());
    a.send(b.localAddress(), new byte[] {1});
    b.close();
    b.close();
    a.send(b.localAddress(), new byte[] {2});
    b.send(a.localAddress(), new byte[] {3});
    scheduler.advance(10);
    assertEquals(List.of(), got);
    assertEquals(2, network.stats().droppedNoReceiver());
    assertEquals(2, network.stats().sent(), "a closed endpoint sends nothing");
    assertEquals(1, network.endpointCount());
  }

  @Test
  void addressesAreDistinctAndBindRefusesATakenOne() {
    Set<PeerAddress> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      assertTrue(seen.add(network.bindNext().localAddress()));
    }
    assertEquals(1000, network.endpointCount());
    assertEquals(PeerAddress.parse("127.0.0.1:10000"), SimulatedNetwork.addressAt(0));
    assertEquals(PeerAddress.parse("127.0.1.1:10000"), SimulatedNetwork.addressAt(1));
    assertEquals(PeerAddress.parse("127.0.0.2:10000"), SimulatedNetwork.addressAt(65_536));
    assertNotEquals(SimulatedNetwork.addressAt(0).subnet(), SimulatedNetwork.addressAt(1).subnet());
    assertThrows(IllegalStateException.class, () -> network.bind(PeerAddress.parse("127.0.0.1:10000")));

    Transport manual = new SimulatedNetwork(scheduler, 1).bind(PeerAddress.parse("127.0.0.1:10000"));
    assertEquals(PeerAddress.parse("127.0.0.1:10000"), manual.localAddress());
  }

  @Test
  void bindNextSkipsAddressesBoundByHand() {
    network.bind(SimulatedNetwork.addressAt(0));
    assertEquals(SimulatedNetwork.addressAt(1), network.bindNext().localAddress());
  }

  @Test
  void handlerErrorsAreRecordedNotThrown() {
    Transport a = network.bindNext();
    Transport b = network.bindNext();
    int[] calls = {0};
    b.onReceive((from, bytes) -> {
      calls[0]++;
      throw new IllegalStateException("bug " + calls[0]);
    });
    a.send(b.localAddress(), new byte[] {1});
    a.send(b.localAddress(), new byte[] {2});
    scheduler.advance(10);
    assertEquals(2, calls[0]);
    assertEquals(2, network.handlerErrors().size());
    assertEquals(2, network.stats().handlerErrors());
  }

  @Test
  void duplicatesDeliverTwice() {
    Transport a = network.bindNext();
    Transport b = network.bindNext();
    List<Delivery> got = record(b, new ArrayList<>());
    network.setDuplicateRate(1.0);
    a.send(b.localAddress(), new byte[] {1});
    scheduler.advance(10);
    assertEquals(2, got.size());
    assertEquals(1, network.stats().duplicated());
  }

  @Test
  void sameSeedGivesTheSameTraceAndAnotherSeedDiffers() {
    List<String> first = trace(7);
    assertEquals(first, trace(7));
    assertNotEquals(first, trace(8));
  }

  /** Twenty endpoints gossiping with random latency, loss and duplication; the trace of every delivery. */
  private static List<String> trace(long seed) {
    VirtualScheduler scheduler = new VirtualScheduler();
    SimulatedNetwork network = new SimulatedNetwork(scheduler, seed);
    network.setLatency(LatencyModel.uniform(Duration.ofMillis(1), Duration.ofMillis(80)));
    network.setLossRate(0.1);
    network.setDuplicateRate(0.05);
    List<Transport> nodes = new ArrayList<>();
    List<String> trace = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Transport t = network.bindNext();
      nodes.add(t);
      t.onReceive((from, bytes) -> {
        trace.add(scheduler.clock().nanoTime() + " " + from + " -> " + t.localAddress() + " " + bytes[0]);
        if (bytes[0] > 0) {
          Transport next = nodes.get(Math.floorMod(bytes[1] + bytes[0], nodes.size()));
          t.send(next.localAddress(), new byte[] {(byte) (bytes[0] - 1), bytes[1]});
        }
      });
    }
    SplittableRandom senders = new SplittableRandom(1);
    for (int i = 0; i < 50; i++) {
      Transport from = nodes.get(senders.nextInt(nodes.size()));
      Transport to = nodes.get(senders.nextInt(nodes.size()));
      from.send(to.localAddress(), new byte[] {5, (byte) i});
    }
    scheduler.advance(10_000);
    assertTrue(network.handlerErrors().isEmpty());
    assertTrue(trace.size() > 50);
    return trace;
  }

  @Test
  void uniformLatencyStaysInItsRange() {
    LatencyModel model = LatencyModel.uniform(Duration.ofMillis(2), Duration.ofMillis(4));
    SplittableRandom rng = new SplittableRandom(3);
    PeerAddress a = SimulatedNetwork.addressAt(0);
    PeerAddress b = SimulatedNetwork.addressAt(1);
    Set<Long> values = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      long nanos = model.latencyNanos(a, b, rng);
      assertTrue(nanos >= 2_000_000L && nanos <= 4_000_000L, "latency " + nanos);
      values.add(nanos);
    }
    assertTrue(values.size() > 100, "draws vary per datagram");
  }

  @Test
  void perLinkLatencyIsStableSymmetricAndVariesAcrossLinks() {
    LatencyModel model = LatencyModel.perLink(Duration.ofMillis(5), Duration.ofMillis(200), 99);
    SplittableRandom rng = new SplittableRandom(3);
    PeerAddress a = SimulatedNetwork.addressAt(0);
    Set<Long> values = new HashSet<>();
    for (int i = 1; i < 200; i++) {
      PeerAddress b = SimulatedNetwork.addressAt(i);
      long ab = model.latencyNanos(a, b, rng);
      assertEquals(ab, model.latencyNanos(b, a, rng));
      assertEquals(ab, model.latencyNanos(a, b, rng));
      assertTrue(ab >= 5_000_000L && ab <= 200_000_000L, "latency " + ab);
      values.add(ab);
    }
    assertTrue(values.size() > 150, "links differ");
    LatencyModel other = LatencyModel.perLink(Duration.ofMillis(5), Duration.ofMillis(200), 100);
    PeerAddress b = SimulatedNetwork.addressAt(1);
    PeerAddress c = SimulatedNetwork.addressAt(2);
    assertTrue(model.latencyNanos(a, b, rng) != other.latencyNanos(a, b, rng)
        || model.latencyNanos(a, c, rng) != other.latencyNanos(a, c, rng), "the seed matters");
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> network.setLossRate(1.5));
    assertThrows(IllegalArgumentException.class, () -> network.setLossRate(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> network.setDuplicateRate(-0.1));
    assertThrows(IllegalArgumentException.class,
        () -> LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(1)));
    assertThrows(IllegalArgumentException.class, () -> LatencyModel.fixed(Duration.ofMillis(-1)));
  }

  @Test
  void manyEndpointsStayCheap() {
    VirtualScheduler big = new VirtualScheduler();
    SimulatedNetwork net = new SimulatedNetwork(big, 5);
    List<Transport> nodes = new ArrayList<>();
    long[] received = {0};
    for (int i = 0; i < 100_000; i++) {
      Transport t = net.bindNext();
      t.onReceive((from, bytes) -> received[0]++);
      nodes.add(t);
    }
    for (int i = 0; i < nodes.size(); i++) {
      nodes.get(i).send(nodes.get((i * 7919 + 1) % nodes.size()).localAddress(), new byte[] {1});
    }
    big.advance(5);
    assertEquals(100_000, net.endpointCount());
    assertEquals(100_000, received[0]);
  }
}
