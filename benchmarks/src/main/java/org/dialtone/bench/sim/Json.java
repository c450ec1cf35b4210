package org.dialtone.bench.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import org.dialtone.bench.sim.ScenarioResult.Measured;
import org.dialtone.bench.sim.ScenarioResult.Percentiles;
import org.dialtone.bench.sim.ScenarioResult.Resources;

/** The suite's results as JSON, written with Jackson (as the rest of the benchmarks module writes and reads JSON). */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /** One scenario: its parameters, the hop references, what it measured and what it cost. */
  static ObjectNode scenario(ScenarioResult r) {
    SimScenario s = r.scenario();
    Measured m = r.measured();
    Resources res = r.resources();
    ObjectNode o = MAPPER.createObjectNode();
    o.put("name", s.name());
    o.putObject("scenario")
        .put("nodes", s.nodes())
        .put("lossRate", s.lossRate())
        .put("churnPerHour", s.churnPerHour())
        .put("minutes", s.minutes())
        .put("records", s.records())
        .put("lookups", s.lookups())
        .put("minLatencyMillis", s.minLatencyMillis())
        .put("maxLatencyMillis", s.maxLatencyMillis())
        .put("k", 20)
        .put("alpha", 3)
        .put("seed", s.seed());
    o.putObject("reference")
        .put("log2N", round(Math.log(s.nodes()) / Math.log(2)))
        .put("log2NOverKPlus1", round(Table.expectedHops(s.nodes(), 20)))
        .put("log20N", round(Math.log(s.nodes()) / Math.log(20)));
    ObjectNode measured = o.putObject("measured")
        .put("lookups", m.lookups())
        .put("found", m.found())
        .put("successRate", Math.round(m.successRate() * 1e6) / 1e6)
        .put("aborted", m.aborted());
    measured.set("hops", percentiles(m.hops()));
    measured.set("messages", percentiles(m.messages()));
    measured.set("latencyMillis", percentiles(m.latencyMillis()));
    measured.set("fullHops", percentiles(m.fullHops()));
    measured.set("fullMessages", percentiles(m.fullMessages()));
    measured.set("fullLatencyMillis", percentiles(m.fullLatencyMillis()));
    ArrayNode cdf = measured.putArray("latencyCdfMillis");
    m.latencyCdfMillis().forEach(cdf::add);
    measured.put("published", m.published())
        .put("publishFailed", m.publishFailed())
        .put("removed", m.removed())
        .put("joined", m.joined())
        .put("joinFailed", m.joinFailed())
        .put("liveAtEnd", m.liveAtEnd())
        .put("meanInitialContacts", m.meanInitialContacts())
        .put("datagrams", m.datagrams())
        .put("datagramsLost", m.datagramsLost())
        .put("events", m.events())
        .put("handlerErrors", m.handlerErrors())
        .put("simulatedSeconds", round(m.simulatedSeconds()));
    o.putObject("resources")
        .put("setupSeconds", res.setupSeconds())
        .put("publishSeconds", res.publishSeconds())
        .put("runSeconds", res.runSeconds())
        .put("totalSeconds", res.totalSeconds())
        .put("cpuSeconds", res.cpuSeconds())
        .put("gcSeconds", res.gcSeconds())
        .put("heapAfterSetupBytes", res.heapAfterSetupBytes())
        .put("heapAfterRunBytes", res.heapAfterRunBytes())
        .put("bytesPerNode", res.bytesPerNode());
    return o;
  }

  /** The whole suite, as text: the environment and every scenario. */
  static String suite(List<ScenarioResult> results, ObjectNode environment) {
    ObjectNode o = MAPPER.createObjectNode();
    o.set("environment", environment);
    ArrayNode scenarios = o.putArray("scenarios");
    results.forEach(r -> scenarios.add(scenario(r)));
    try {
      return MAPPER.writeValueAsString(o) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JVM and machine the suite ran on. */
  static ObjectNode environment(String suite) {
    Runtime rt = Runtime.getRuntime();
    return MAPPER.createObjectNode()
        .put("suite", suite)
        .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
        .put("cpus", rt.availableProcessors())
        .put("maxHeapBytes", rt.maxMemory())
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  private static ObjectNode percentiles(Percentiles p) {
    return MAPPER.createObjectNode().put("p50", p.p50()).put("p99", p.p99()).put("mean", p.mean());
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
