package org.dialtone.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.api.GetResult;
import org.dialtone.dht.api.NodeMetrics;
import org.dialtone.dht.api.PutResult;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.testkit.LocalTestnet;
import org.junit.jupiter.api.Test;

/** 100 real nodes on loopback UDP in one JVM, bootstrapping from one seed. */
class LoopbackNetworkTest {
  @Test
  void everyRecordPutFromARandomNodeIsFoundFromAnother() throws Exception {
    long t0 = System.nanoTime();
    try (LocalTestnet net = LocalTestnet.start(100)) {
      long formed = System.nanoTime();
      Random random = new Random(1);
      List<DhtNode> nodes = net.nodes();
      assertEquals(100, nodes.size());
      for (DhtNode n : nodes) {
        assertTrue(n.isReady(), n + " is not ready");
      }
      long expires = System.currentTimeMillis() / 1000 + 600;
      List<SignedRecord> records = new ArrayList<>();
      List<Integer> putters = new ArrayList<>();
      List<CompletableFuture<PutResult>> puts = new ArrayList<>();
      Semaphore inFlight = new Semaphore(16); // as the benchmark scenario: at most 16 operations at once
      for (int i = 0; i < 100; i++) {
        SignedRecord r = SignedRecord.sign(Identity.generate(), NodeId.random(random), 1, 1, expires,
            ("record " + i).getBytes());
        int putter = random.nextInt(nodes.size());
        records.add(r);
        putters.add(putter);
        inFlight.acquire();
        puts.add(nodes.get(putter).put(r).whenComplete((v, e) -> inFlight.release()));
      }
      for (CompletableFuture<PutResult> p : puts) {
        assertTrue(p.get(60, TimeUnit.SECONDS).replicas() > 0);
      }
      List<CompletableFuture<GetResult>> gets = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int reader;
        do {
          reader = random.nextInt(nodes.size());
        } while (reader == putters.get(i));
        inFlight.acquire();
        gets.add(nodes.get(reader).get(records.get(i).key()).whenComplete((v, e) -> inFlight.release()));
      }
      int found = 0;
      for (int i = 0; i < 100; i++) {
        GetResult got = gets.get(i).get(60, TimeUnit.SECONDS);
        if (got.records().contains(records.get(i))) {
          found++;
        } else {
          System.out.println("  missed record " + i + ": put " + puts.get(i).join() + ", get " + got.lookup());
        }
      }
      System.out.printf(Locale.ROOT, "loopback: 100 nodes formed in %.2f s; 100 puts + 100 gets in %.2f s;"
              + " found %d/100%n", (formed - t0) / 1e9, (System.nanoTime() - formed) / 1e9, found);
      assertEquals(100, found);
      for (DhtNode n : nodes) {
        assertEquals(0, n.metrics().get(NodeMetrics.Counter.DROPPED_INTERNAL_ERROR), n + " had internal errors");
      }
    }
  }
}
