package org.dialtone.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.Test;

/**
 * Every announce on a watched number reaches the watcher as JOINED, pushed by the storing nodes. Prints the time
 * from the announce call to the event (loopback, 30 nodes); the figure is measured here, not asserted.
 */
class WatchLatencyTest {
  private static final int AGENTS = 100;

  @Test
  void everyAnnounceReachesTheWatcherAsJoined() throws Exception {
    DialNumber number = DialNumber.parse("744-196884-100");
    try (LocalTestnet net = LocalTestnet.start(30)) {
      DhtNode watcherNode = net.addClient();
      NumberResolver watcher = NumberResolver.create(watcherNode, Identity.generate(), AgentProfile.named("W"));
      Map<PublicKey, Long> joinedAt = new ConcurrentHashMap<>();
      CountDownLatch all = new CountDownLatch(AGENTS);
      NumberWatch watch = watcher.watch(number, e -> {
        if (e.type() == NumberEvent.Type.JOINED && joinedAt.putIfAbsent(e.agent().agent(), System.nanoTime()) == null) {
          all.countDown();
        }
      });
      watch.ready().get(30, TimeUnit.SECONDS);

      List<DhtNode> nodes = new ArrayList<>();
      List<NumberResolver> agents = new ArrayList<>();
      for (int i = 0; i < AGENTS; i++) {
        DhtNode n = net.addClient();
        nodes.add(n);
        agents.add(NumberResolver.create(n, Identity.generate(), AgentProfile.named("agent " + i)));
      }
      long[] announcedAt = new long[AGENTS];
      for (int i = 0; i < AGENTS; i++) {
        announcedAt[i] = System.nanoTime();
        agents.get(i).announce(number).get(30, TimeUnit.SECONDS);
      }
      boolean complete = all.await(30, TimeUnit.SECONDS);
      assertEquals(AGENTS, joinedAt.size(), "JOINED events received (complete=" + complete + ")");
      double[] millis = new double[AGENTS];
      for (int i = 0; i < AGENTS; i++) {
        millis[i] = (joinedAt.get(agents.get(i).agent()) - announcedAt[i]) / 1e6;
      }
      Arrays.sort(millis);
      System.out.printf(Locale.ROOT, "announce -> watcher JOINED on loopback, %d agents: median %.1f ms,"
          + " p99 %.1f ms, max %.1f ms%n", AGENTS, millis[AGENTS / 2], millis[(int) Math.ceil(AGENTS * 0.99) - 1],
          millis[AGENTS - 1]);
      for (DhtNode n : nodes) {
        n.closeAsync().get(10, TimeUnit.SECONDS);
      }
      watcherNode.closeAsync().get(10, TimeUnit.SECONDS);
    }
  }
}
