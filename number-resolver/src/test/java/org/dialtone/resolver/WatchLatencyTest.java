package org.dialtone.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.Test;

/**
 * Every announce on a watched number reaches every watcher as one JOINED, pushed by the storing nodes, and every
 * leave as one LEFT after it: per watcher and per publisher the events are exactly JOINED then LEFT. Prints the time
 * from the announce call to the first watcher's event (loopback, 30 nodes); the figure is measured here, not
 * asserted.
 */
class WatchLatencyTest {
  private static final int AGENTS = 100;
  private static final int WATCHERS = 3;
  private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** What one watcher heard: every event per publisher, in the order delivered. */
  private static final class Heard {
    final Map<PublicKey, List<NumberEvent.Type>> byPublisher = new ConcurrentHashMap<>();
    final List<NumberEvent> all = new CopyOnWriteArrayList<>();

    void add(NumberEvent e) {
      all.add(e);
      byPublisher.computeIfAbsent(e.agent().agent(), k -> new CopyOnWriteArrayList<>()).add(e.type());
    }

    long count(NumberEvent.Type type) {
      return byPublisher.values().stream().filter(l -> l.contains(type)).count();
    }
  }

  @Test
  void everyWatcherHearsEveryJoinAndLeaveOnceAndInOrder() throws Exception {
    DialNumber number = DialNumber.parse("744-196884-100");
    try (LocalTestnet net = LocalTestnet.start(30)) {
      List<Heard> heard = new ArrayList<>();
      List<NumberWatch> watches = new ArrayList<>();
      Map<PublicKey, Long> firstJoinedAt = new ConcurrentHashMap<>();
      List<DhtNode> nodes = new ArrayList<>();
      for (int w = 0; w < WATCHERS; w++) {
        DhtNode n = net.addClient();
        nodes.add(n);
        NumberResolver watcher = NumberResolver.create(n, Identity.generate(), AgentProfile.named("W" + w));
        Heard h = new Heard();
        heard.add(h);
        NumberWatch watch = watcher.watch(number, e -> {
          if (e.type() == NumberEvent.Type.JOINED) {
            firstJoinedAt.putIfAbsent(e.agent().agent(), System.nanoTime());
          }
          h.add(e);
        });
        watches.add(watch);
      }
      for (NumberWatch watch : watches) {
        watch.ready().get(30, TimeUnit.SECONDS);
      }

      List<NumberResolver> agents = new ArrayList<>();
      for (int i = 0; i < AGENTS; i++) {
        DhtNode n = net.addClient();
        nodes.add(n);
        agents.add(NumberResolver.create(n, Identity.generate(), AgentProfile.named("agent " + i)));
      }
      Map<PublicKey, Long> announcedAt = new HashMap<>();
      for (NumberResolver a : agents) {
        announcedAt.put(a.agent(), System.nanoTime());
        a.announce(number).get(30, TimeUnit.SECONDS);
      }
      awaitAll(heard, NumberEvent.Type.JOINED);
      for (NumberResolver a : agents) {
        a.leave(number).get(30, TimeUnit.SECONDS);
      }
      awaitAll(heard, NumberEvent.Type.LEFT);

      for (int w = 0; w < WATCHERS; w++) {
        Heard h = heard.get(w);
        for (NumberResolver a : agents) {
          assertEquals(List.of(NumberEvent.Type.JOINED, NumberEvent.Type.LEFT), h.byPublisher.get(a.agent()),
              "watcher " + w + " heard agent " + a.agent().toHex().substring(0, 8) + " as");
        }
        assertEquals(2 * AGENTS, h.all.size(), "watcher " + w + " heard events of agents that never came: "
            + h.all);
        assertTrue(h.all.stream().allMatch(e -> e.number().equals(number)), "an event for another number");
      }

      double[] millis = new double[AGENTS];
      for (int i = 0; i < AGENTS; i++) {
        PublicKey k = agents.get(i).agent();
        millis[i] = (firstJoinedAt.get(k) - announcedAt.get(k)) / 1e6;
      }
      Arrays.sort(millis);
      System.out.printf(Locale.ROOT, "announce -> first watcher's JOINED on loopback, %d agents, %d watchers: median"
          + " %.1f ms, p99 %.1f ms, max %.1f ms%n", AGENTS, WATCHERS, millis[AGENTS / 2],
          millis[(int) Math.ceil(AGENTS * 0.99) - 1], millis[AGENTS - 1]);
      watches.forEach(NumberWatch::cancel);
      for (DhtNode n : nodes) {
        n.closeAsync().get(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Waits, with a deadline, until every watcher heard {@code type} from every agent. */
  private static void awaitAll(List<Heard> heard, NumberEvent.Type type) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (heard.stream().anyMatch(h -> h.count(type) < AGENTS)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(type + " heard by the watchers: "
            + heard.stream().map(h -> h.count(type)).toList() + " of " + AGENTS + " each");
      }
      Thread.sleep(20); // polling a condition under a deadline, not waiting for time to pass
    }
  }
}
