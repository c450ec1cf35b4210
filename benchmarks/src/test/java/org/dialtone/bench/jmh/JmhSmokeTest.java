package org.dialtone.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.List;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.routing.Contact;
import org.junit.jupiter.api.Test;

/** Every benchmark method runs once on small inputs, so the benchmarks cannot rot unnoticed. */
class JmhSmokeTest {
  @Test
  void codecRoundTripsEveryMessageType() throws Exception {
    for (String type : new String[] {"PING", "PONG", "FIND_NODE", "NODES", "FIND_VALUE", "VALUES", "STORE",
        "STORE_ACK", "ERROR"}) {
      CodecBenchmark b = new CodecBenchmark();
      b.type = type;
      b.setup();
      assertTrue(b.encode().length > 0);
      assertEquals(b.message, b.decode(), type);
    }
  }

  @Test
  void routing() {
    RoutingBenchmark b = new RoutingBenchmark();
    b.offered = 3000;
    b.setup();
    assertTrue(b.size() >= 100, "table size " + b.size());
    // closest20 is what a brute-force sort of the whole table by XOR distance gives
    for (int i = 0; i < 50; i++) {
      NodeId target = b.targets[b.next & 1023];
      List<NodeId> expected = b.table.contacts().stream().map(Contact::id).sorted(target.distanceOrder())
          .limit(20).toList();
      assertEquals(expected, b.closest20().stream().map(Contact::id).toList(), "closest 20 to " + target);
    }
    // xor is its own inverse; compareDistance orders by the XOR distance read as an unsigned number
    assertEquals(b.a, b.xor().xor(b.b));
    for (int i = 0; i < 50; i++) {
      NodeId target = b.targets[b.next & 1023];
      int expected = new BigInteger(1, target.xor(b.a).toBytes()).compareTo(new BigInteger(1, target.xor(b.b)
          .toBytes()));
      assertEquals(Integer.signum(expected), Integer.signum(b.compareDistance()), "distance order for " + target);
    }
  }

  @Test
  void lookupConverges() {
    LookupBenchmark b = new LookupBenchmark();
    b.network = 2000;
    b.setup();
    assertEquals(20, b.lookup().size());
    assertTrue(b.steps >= 20, "steps " + b.steps);
  }

  @Test
  void crypto() throws Exception {
    CryptoBenchmark b = new CryptoBenchmark();
    b.setup();
    assertEquals(64, b.sign().length);
    assertTrue(b.verify());
    assertTrue(b.verifyNewKey());
    assertEquals(64, b.challengeSign().length);
    assertTrue(b.challengeVerifyNewKey());
    assertTrue(b.jdkVerify());
  }

  @Test
  void recordStore() {
    RecordStoreBenchmark b = new RecordStoreBenchmark();
    b.records = 500;
    b.sign();
    b.fill();
    assertFalse(b.get().isEmpty());
    assertEquals(RecordStoreBenchmark.BATCH, b.put());
  }

  @Test
  void reportRendersJmhJson() throws Exception {
    String json = "[{\"benchmark\":\"org.dialtone.bench.jmh.CryptoBenchmark.verify\",\"mode\":\"thrpt\","
        + "\"params\":{},\"primaryMetric\":{\"score\":3000.0,\"scoreError\":100.0,\"scoreUnit\":\"ops/s\"},"
        + "\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":7000.0,\"scoreUnit\":\"B/op\"}}},"
        + "{\"benchmark\":\"org.dialtone.bench.jmh.RecordStoreBenchmark.put\",\"mode\":\"ss\","
        + "\"params\":{\"records\":\"100000\"},\"primaryMetric\":{\"score\":1.0E-5,\"scoreError\":\"NaN\","
        + "\"scoreUnit\":\"s/op\"},\"secondaryMetrics\":{}}]";
    String md = JmhReport.render(new ObjectMapper().readTree(json));
    assertTrue(md.contains("| CryptoBenchmark.verify |  | 3,000 | 100 | 333.333 | 7,000 |"), md);
    assertTrue(md.contains("| RecordStoreBenchmark.put | records=100000 | 100,000 |"), md);
  }
}
