package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.node.runner.NodeRunner;
import org.dialtone.node.runner.NodeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --host IPV4,IPV6}: a dual-stack node on {@code 127.0.0.1} and {@code ::1} (UDP on both at one port number,
 * HTTP on the first), joined by an IPv4-only and an IPv6-only node; and a {@code --host} of two addresses of one
 * family is refused before anything binds.
 */
class DualStackNodeTest {
  @TempDir Path data;

  @Test
  void aDualStackNodeServesAnIpv4OnlyAndAnIpv6OnlyNode() throws Exception {
    NodeRunner dual = NodeRunner.start(settings("dual", "127.0.0.1,::1", List.of()));
    NodeRunner four = null;
    NodeRunner six = null;
    try {
      List<PeerAddress> both = dual.node().addresses();
      assertEquals(2, both.size(), both.toString());
      assertEquals(PeerAddress.parse("127.0.0.1:" + both.get(0).port()), both.get(0));
      assertEquals(PeerAddress.parse("[::1]:" + both.get(0).port()), both.get(1), "one port number for both");
      four = NodeRunner.start(settings("four", "127.0.0.1", List.of(both.get(0))));
      six = NodeRunner.start(settings("six", "::1", List.of(both.get(1))));
      four.node().ready().get(30, TimeUnit.SECONDS);
      six.node().ready().get(30, TimeUnit.SECONDS);
      assertTrue(four.node().contacts().get().stream().allMatch(c -> c.address().isIpv4()));
      assertTrue(six.node().contacts().get().stream().noneMatch(c -> c.address().isIpv4()));
    } finally {
      if (six != null) {
        six.close();
      }
      if (four != null) {
        four.close();
      }
      dual.close();
    }
  }

  @Test
  void twoAddressesOfOneFamilyAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> settings("x", "127.0.0.1,127.0.0.2", List.of()));
    assertTrue(e.getMessage().startsWith("--host 127.0.0.1,127.0.0.2: one address, or two of different families"),
        e.getMessage());
    assertEquals("127.0.0.1", settings("y", "127.0.0.1, ::1", List.of()).firstHost());
  }

  private NodeSettings settings(String name, String host, List<PeerAddress> seeds) {
    return new NodeSettings(host, 0, 0, data.resolve(name), seeds, Optional.empty(), Duration.ofSeconds(5));
  }
}
