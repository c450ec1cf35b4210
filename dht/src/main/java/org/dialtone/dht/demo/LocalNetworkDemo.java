package org.dialtone.dht.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.GetResult;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.api.NodeStats;
import org.dialtone.dht.api.PutResult;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.Keys;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.testkit.LocalTestnet;

/**
 * The README's first command: starts a DHT of real UDP nodes on loopback, stores a signed record from one node and
 * finds it from another, and prints what happened. Exits when done, leaving nothing running.
 */
public final class LocalNetworkDemo {
  private LocalNetworkDemo() {}

  public static void main(String[] args) {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    long t0 = System.nanoTime();
    System.out.printf("Starting %d DHT nodes on 127.0.0.1 (UDP, k=20, alpha=3)...%n", size);
    try (LocalTestnet net = LocalTestnet.start(size, DhtConfig.defaults())) {
      System.out.printf(Locale.ROOT, "  all %d nodes joined through node 0 (%s) in %.0f ms%n",
          size, net.node(0).address(), (System.nanoTime() - t0) / 1e6);

      DhtNode alice = net.node(size / 3);
      DhtNode bob = net.node(size - 1);
      Identity agent = Identity.generate();
      NodeId key = Keys.contentKey("number", "744-196884-23");
      byte[] payload = "agent A is on 744-196884-23".getBytes(StandardCharsets.UTF_8);
      long expires = System.currentTimeMillis() / 1000 + 600;
      SignedRecord record = SignedRecord.sign(agent, key, 1, 1, expires, payload);

      System.out.printf("%nNode %s puts a signed record under key(number:744-196884-23) = %s...%n",
          alice.address(), key.shortHex());
      PutResult put = alice.put(record).join();
      System.out.printf(Locale.ROOT, "  stored on %d nodes; lookup: %d hops, %d messages, %.1f ms%n",
          put.replicas(), put.lookup().hops(), put.messages(), put.lookup().elapsedMillis());

      System.out.printf("%nNode %s looks the key up...%n", bob.address());
      GetResult got = bob.get(key).join();
      for (SignedRecord r : got.records()) {
        System.out.printf("  found: \"%s\" (publisher %s..., seq %d, signature verified)%n",
            new String(r.payload(), StandardCharsets.UTF_8), r.publisher().toHex().substring(0, 12), r.seq());
      }
      System.out.printf(Locale.ROOT, "  lookup: %d hops, %d nodes queried, %.1f ms%n",
          got.lookup().hops(), got.lookup().queried(), got.lookup().elapsedMillis());

      NodeStats stats = bob.stats().join();
      System.out.printf("%nNode %s: %d contacts in its routing table, %d datagrams in, %d out, %d dropped%n",
          bob.address(), stats.routingTableSize(), stats.get(Counter.DATAGRAMS_IN), stats.get(Counter.DATAGRAMS_OUT),
          dropped(stats));
      boolean ok = got.records().contains(record);
      System.out.printf(Locale.ROOT, "%n%s in %.1f s. Closing the network.%n",
          ok ? "Done: the record put by one node was found by another" : "FAILED: the record was not found",
          (System.nanoTime() - t0) / 1e9);
      if (!ok) {
        System.exit(1);
      }
    }
  }

  private static long dropped(NodeStats stats) {
    long n = 0;
    for (Counter c : List.of(Counter.DROPPED_MALFORMED, Counter.DROPPED_OVERSIZED, Counter.DROPPED_UNSOLICITED,
        Counter.DROPPED_RATE_LIMITED, Counter.DROPPED_UNSUPPORTED_VERSION, Counter.DROPPED_INTERNAL_ERROR)) {
      n += stats.get(c);
    }
    return n;
  }
}
