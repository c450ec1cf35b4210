package org.dialtone.bench.sim;

import java.util.List;
import java.util.Locale;
import org.dialtone.bench.sim.ScenarioResult.Measured;
import org.dialtone.bench.sim.ScenarioResult.Percentiles;
import org.dialtone.bench.sim.ScenarioResult.Resources;

/** Writes results as JSON by hand (the module has no JSON library, and needs none for this). */
final class Json {
  private Json() {}

  /** One scenario as a JSON object. */
  static String scenario(ScenarioResult r, String indent) {
    SimScenario s = r.scenario();
    Measured m = r.measured();
    Resources res = r.resources();
    String i1 = indent + "  ";
    String i2 = i1 + "  ";
    StringBuilder sb = new StringBuilder();
    sb.append("{\n");
    sb.append(i1).append("\"name\": \"").append(s.name()).append("\",\n");
    sb.append(i1).append("\"scenario\": {")
        .append(field("nodes", s.nodes())).append(", ")
        .append(field("lossRate", s.lossRate())).append(", ")
        .append(field("churnPerHour", s.churnPerHour())).append(", ")
        .append(field("minutes", s.minutes())).append(", ")
        .append(field("records", s.records())).append(", ")
        .append(field("lookups", s.lookups())).append(", ")
        .append(field("minLatencyMillis", s.minLatencyMillis())).append(", ")
        .append(field("maxLatencyMillis", s.maxLatencyMillis())).append(", ")
        .append(field("k", 20)).append(", ")
        .append(field("alpha", 3)).append(", ")
        .append(field("seed", s.seed())).append("},\n");
    sb.append(i1).append("\"reference\": {")
        .append(field("log2N", round(Math.log(s.nodes()) / Math.log(2)))).append(", ")
        .append(field("log2NOverKPlus1", round(Table.expectedHops(s.nodes(), 20)))).append(", ")
        .append(field("log20N", round(Math.log(s.nodes()) / Math.log(20)))).append("},\n");
    sb.append(i1).append("\"measured\": {\n");
    sb.append(i2).append(field("lookups", m.lookups())).append(",\n");
    sb.append(i2).append(field("found", m.found())).append(",\n");
    sb.append(i2).append(field("successRate", round(m.successRate() * 1e6) / 1e6)).append(",\n");
    sb.append(i2).append(field("aborted", m.aborted())).append(",\n");
    sb.append(i2).append("\"hops\": ").append(p(m.hops())).append(",\n");
    sb.append(i2).append("\"messages\": ").append(p(m.messages())).append(",\n");
    sb.append(i2).append("\"latencyMillis\": ").append(p(m.latencyMillis())).append(",\n");
    sb.append(i2).append("\"fullHops\": ").append(p(m.fullHops())).append(",\n");
    sb.append(i2).append("\"fullMessages\": ").append(p(m.fullMessages())).append(",\n");
    sb.append(i2).append("\"fullLatencyMillis\": ").append(p(m.fullLatencyMillis())).append(",\n");
    sb.append(i2).append("\"latencyCdfMillis\": ").append(list(m.latencyCdfMillis())).append(",\n");
    sb.append(i2).append(field("published", m.published())).append(",\n");
    sb.append(i2).append(field("publishFailed", m.publishFailed())).append(",\n");
    sb.append(i2).append(field("removed", m.removed())).append(",\n");
    sb.append(i2).append(field("joined", m.joined())).append(",\n");
    sb.append(i2).append(field("joinFailed", m.joinFailed())).append(",\n");
    sb.append(i2).append(field("liveAtEnd", m.liveAtEnd())).append(",\n");
    sb.append(i2).append(field("meanInitialContacts", m.meanInitialContacts())).append(",\n");
    sb.append(i2).append(field("datagrams", m.datagrams())).append(",\n");
    sb.append(i2).append(field("datagramsLost", m.datagramsLost())).append(",\n");
    sb.append(i2).append(field("events", m.events())).append(",\n");
    sb.append(i2).append(field("handlerErrors", m.handlerErrors())).append(",\n");
    sb.append(i2).append(field("simulatedSeconds", round(m.simulatedSeconds()))).append("\n");
    sb.append(i1).append("},\n");
    sb.append(i1).append("\"resources\": {")
        .append(field("setupSeconds", res.setupSeconds())).append(", ")
        .append(field("publishSeconds", res.publishSeconds())).append(", ")
        .append(field("runSeconds", res.runSeconds())).append(", ")
        .append(field("totalSeconds", res.totalSeconds())).append(", ")
        .append(field("cpuSeconds", res.cpuSeconds())).append(", ")
        .append(field("gcSeconds", res.gcSeconds())).append(", ")
        .append(field("heapAfterSetupBytes", res.heapAfterSetupBytes())).append(", ")
        .append(field("heapAfterRunBytes", res.heapAfterRunBytes())).append(", ")
        .append(field("bytesPerNode", res.bytesPerNode())).append("}\n");
    sb.append(indent).append("}");
    return sb.toString();
  }

  /** The whole suite: the environment and every scenario. */
  static String suite(List<ScenarioResult> results, String environment) {
    StringBuilder sb = new StringBuilder("{\n  \"environment\": ").append(environment).append(",\n  \"scenarios\": [");
    for (int i = 0; i < results.size(); i++) {
      sb.append(i == 0 ? "\n    " : ",\n    ").append(scenario(results.get(i), "    "));
    }
    return sb.append("\n  ]\n}\n").toString();
  }

  /** The JVM and machine the suite ran on. */
  static String environment(String suite) {
    Runtime rt = Runtime.getRuntime();
    return "{" + string("suite", suite) + ", " + string("java", System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version")) + ", " + field("cpus", rt.availableProcessors()) + ", "
        + field("maxHeapBytes", rt.maxMemory()) + ", " + string("os", System.getProperty("os.name") + " "
        + System.getProperty("os.arch")) + "}";
  }

  private static String p(Percentiles p) {
    return "{" + field("p50", p.p50()) + ", " + field("p99", p.p99()) + ", " + field("mean", p.mean()) + "}";
  }

  private static String list(List<Double> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(num(values.get(i)));
    }
    return sb.append(']').toString();
  }

  private static String field(String name, long value) {
    return "\"" + name + "\": " + value;
  }

  private static String field(String name, double value) {
    return "\"" + name + "\": " + num(value);
  }

  private static String string(String name, String value) {
    return "\"" + name + "\": \"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
