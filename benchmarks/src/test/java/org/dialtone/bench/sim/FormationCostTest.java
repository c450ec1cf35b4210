package org.dialtone.bench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The formation count at a small size: every figure is there, lookups in the formed network work, runs repeat. */
class FormationCostTest {
  @Test
  void aSmallFormationIsCountedAndRepeatsExactly() {
    Map<String, Object> a = FormationCost.run(150, 16, 3, 30);
    assertEquals(0, a.get("joinsFailed"));
    @SuppressWarnings("unchecked")
    Map<String, Long> byType = (Map<String, Long>) a.get("datagramsByType");
    assertTrue(byType.get("FindNode") > 0 && byType.get("Ping") > 0, "counted by type: " + byType);
    assertEquals(byType.get("FindNode"), byType.get("Nodes"), "every FIND_NODE answered on a lossless network");
    assertTrue((double) a.get("lookupRecall") >= 0.95, "recall " + a.get("lookupRecall"));
    assertTrue((int) a.get("tableP50") > 0);
    assertEquals(a, FormationCost.run(150, 16, 3, 30), "the same seed gives the same counts");
  }

  @Test
  void putsAfterTheFormationAreCountedPerPutAndRepeatExactly() {
    Map<String, Object> a = FormationCost.run(120, 16, 5, 0, 4);
    @SuppressWarnings("unchecked")
    Map<String, Object> perPut = (Map<String, Object>) a.get("perPut");
    assertEquals(4, perPut.get("puts"));
    assertTrue((double) perPut.get("replicas") >= 1, "replicas " + perPut);
    assertTrue((double) perPut.get("datagrams") > 0, "datagrams " + perPut);
    @SuppressWarnings("unchecked")
    Map<String, Double> byType = (Map<String, Double>) perPut.get("datagramsByType");
    assertTrue(byType.get("Store") >= 1, "a put sends STOREs: " + byType);
    assertTrue((double) perPut.get("STORES_ACCEPTED") >= 1, "stored: " + perPut);
    assertEquals(a, FormationCost.run(120, 16, 5, 0, 4), "the same seed gives the same counts");
  }
}
