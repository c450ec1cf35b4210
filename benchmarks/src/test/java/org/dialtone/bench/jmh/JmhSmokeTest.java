package org.dialtone.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
    assertEquals(20, b.closest20().size());
    b.xor();
    b.compareDistance();
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
