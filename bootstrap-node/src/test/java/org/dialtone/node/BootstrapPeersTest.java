package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.node.runner.NodeRunner;
import org.dialtone.node.runner.NodeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bootstrap nodes register on 744-196884-0 and find each other there. */
class BootstrapPeersTest {
  @TempDir Path data;

  @Test
  void bootstrapNodesAreListedOnShardZero() throws Exception {
    try (LocalTestnet net = LocalTestnet.start(3)) {
      NodeRunner one = null;
      NodeRunner two = null;
      try {
        one = NodeRunner.start(settings("one", net.seeds()), net.vertx());
        two = NodeRunner.start(settings("two", List.of(one.node().address())), net.vertx());
        one.node().ready().get(20, TimeUnit.SECONDS);
        two.node().ready().get(20, TimeUnit.SECONDS);
        List<PeerAddress> expected = List.of(one.node().address(), two.node().address());
        List<PeerAddress> found = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!found.containsAll(expected) && System.nanoTime() < deadline) {
          Thread.sleep(200);
          found = two.resolver().bootstrapNodes().get(20, TimeUnit.SECONDS);
        }
        assertTrue(found.containsAll(expected), "found " + found + ", expected " + expected);
      } finally {
        if (two != null) {
          two.close();
        }
        if (one != null) {
          one.close();
        }
      }
    }
  }

  private NodeSettings settings(String name, List<PeerAddress> seeds) {
    return new NodeSettings("127.0.0.1", 0, -1, data.resolve(name), seeds, Optional.empty(), Duration.ofSeconds(5));
  }
}
