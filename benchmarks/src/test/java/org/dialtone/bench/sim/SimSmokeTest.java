package org.dialtone.bench.sim;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.dialtone.bench.sim.ScenarioResult.Measured;
import org.junit.jupiter.api.Test;

/**
 * The simulation benchmark at a tiny size: 300 nodes, 10% loss, nodes leaving and joining for three simulated
 * minutes. Runs the same code as the full suite in a few seconds.
 */
class SimSmokeTest {
  private static final SimScenario SMOKE = SimScenario.of(300, 0.10, 0.20, 3, 30, 40, 11);
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @Test
  void lookupsSucceedDespiteLossAndChurn() {
    ScenarioResult r = ScaleSimulation.run(SMOKE, QUIET);
    Measured m = r.measured();
    assertTrue(m.lookups() >= 35, "lookups counted: " + m);
    assertTrue(m.successRate() >= 0.95, "found " + m.found() + " of " + m.lookups());
    assertEquals(0, m.handlerErrors());
    assertEquals(SMOKE.records(), m.published(), "every record published");
    assertTrue(m.removed() > 0 && m.removed() == m.joined() + m.joinFailed(), "churn ran: " + m);
    assertTrue(m.fullHops().p50() >= 1 && m.messages().p50() >= 1, "lookups were measured: " + m);
    assertTrue(r.resources().bytesPerNode() > 0);
  }

  @Test
  void theSameSeedGivesTheSameMeasurements() {
    Measured a = ScaleSimulation.run(SMOKE, QUIET).measured();
    Measured b = ScaleSimulation.run(SMOKE, QUIET).measured();
    assertEquals(a, b);
  }

  @Test
  void oracleTablesHoldEveryNodeOfTheSmallBucketsAndKOfTheLargeOnes() {
    ScenarioResult r = ScaleSimulation.run(SimScenario.of(300, 0, 0, 1, 5, 5, 3), QUIET);
    // 300 nodes, k = 20: buckets 0..3 hold 20 each (150, 75, 37, 19 candidates: 20, 20, 20, ~19), deeper ones all.
    double contacts = r.measured().meanInitialContacts();
    assertTrue(contacts > 85 && contacts < 110, "contacts per node: " + contacts);
  }

  @Test
  void theOutputsAreWellFormed() {
    ScenarioResult r = ScaleSimulation.run(SimScenario.of(100, 0.3, 0, 1, 5, 10, 5), QUIET);
    String json = Json.suite(List.of(r), Json.environment("test"));
    JsonNode parsed = assertDoesNotThrow(() -> new ObjectMapper().readTree(json), json);
    assertEquals("test", parsed.at("/environment/suite").asText());
    JsonNode scenario = parsed.at("/scenarios/0");
    assertEquals("n100-loss30-churn0", scenario.at("/name").asText());
    assertEquals(100, scenario.at("/scenario/nodes").asInt());
    assertEquals(101, scenario.at("/measured/latencyCdfMillis").size(), "latency at percentiles 0..100");
    assertEquals(r.measured().found(), scenario.at("/measured/found").asInt());
    assertEquals(r.measured().hops().p50(), scenario.at("/measured/hops/p50").asDouble());
    String svg = SvgPlot.render(List.of(r, r), "test");
    assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>\n") && svg.contains("<polyline"), svg);
    assertTrue(Table.text(List.of(r)).contains("n100") || Table.text(List.of(r)).contains("100"));
  }
}
