package org.dialtone.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The cluster scenario at N = 10, M = 5 (ephemeral ports) runs to the end and writes the §6 JSON. */
class DialtoneScenarioSmokeTest {
  @Test
  @Timeout(60)
  void smallRunWritesTheScenarioJson(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("dialtone-n10-run1.json");
    DialtoneScenario.run(new DialtoneScenario.Params(10, 1, 1, 5, 16, 0.2, 0, 20, 10, true, out, null));
    JsonNode r = new ObjectMapper().readTree(out.toFile());
    assertEquals("dialtone", r.path("impl").asText());
    assertEquals(10, r.at("/params/n").asInt());
    assertEquals(0, r.at("/formation/notReady").asInt());
    for (String f : new String[] {"ms", "cpu", "datagrams", "rssBeforeMiB", "rssAfterMiB", "rssPerNodeKiB",
        "heapPerNodeKiB", "routingTableSize"}) {
      assertTrue(r.path("formation").has(f), "formation." + f);
    }
    for (String f : new String[] {"eventLoopsMs", "jitMs", "gcMs", "restMs", "eventLoopsShare", "jitShare"}) {
      assertTrue(r.at("/formation/cpuByThread").has(f), "formation.cpuByThread." + f);
      assertTrue(r.path("opPhasesCpuByThread").has(f), "opPhasesCpuByThread." + f);
    }
    assertTrue(r.at("/idle/datagrams").isNumber());
    assertEquals(JoinOne.JOINS, r.at("/joinOne/ok").asInt(), r.path("joinOne").toString());
    assertTrue(r.at("/joinOne/datagramsP50").asDouble() > 0, r.path("joinOne").toString());
    assertTrue(r.at("/formation/counters/PROOFS_VERIFIED").asLong() > 0, r.path("formation").toString());
    assertEquals(2, r.path("phases").size());
    for (JsonNode p : r.path("phases")) {
      assertEquals(5, p.at("/announce/ok").asInt(), p.toString());
      assertEquals(5, p.at("/lookup/found").asInt(), p.toString());
      assertEquals(1.0, p.at("/lookup/successRate").asDouble());
      assertEquals(5, p.at("/lookupAll/found").asInt());
      for (String f : new String[] {"latencyMs", "replicas", "msgsPerOp", "wallMs", "opsPerSec", "cpu",
          "datagramsPerOp"}) {
        assertTrue(p.path("announce").has(f), "announce." + f);
      }
      for (String f : new String[] {"foundLatencyMs", "doneLatencyMs", "msgsPerOp", "opsPerSec", "cpu",
          "datagramsPerOp", "timedOut"}) {
        assertTrue(p.path("lookup").has(f), "lookup." + f);
      }
      assertTrue(p.at("/announce/replicas").asDouble() >= 1);
    }
    assertTrue(r.path("totalCpu").isNumber());
  }
}
