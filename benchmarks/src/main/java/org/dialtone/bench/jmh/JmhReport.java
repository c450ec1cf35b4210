package org.dialtone.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON result ({@code -rf json}) into a Markdown table: ops/s (from throughput, or 1/time for
 * single-shot batches) and bytes allocated per op ({@code -prof gc}'s gc.alloc.rate.norm).
 *
 * <pre>java -cp ... org.dialtone.bench.jmh.JmhReport results/jmh.json results/jmh.md</pre>
 */
public final class JmhReport {
  private JmhReport() {}

  public static void main(String[] args) throws IOException {
    Path in = Path.of(args.length > 0 ? args[0] : "results/jmh.json");
    Path out = Path.of(args.length > 1 ? args[1] : "results/jmh.md");
    String md = render(new ObjectMapper().readTree(in.toFile()));
    Files.writeString(out, md);
    System.out.println(md);
  }

  /** The Markdown table of a JMH JSON result. */
  public static String render(JsonNode results) {
    StringBuilder md = new StringBuilder();
    md.append("| benchmark | params | ops/s | ± (99.9%) | µs/op | alloc B/op |\n");
    md.append("|---|---|---:|---:|---:|---:|\n");
    for (JsonNode r : results) {
      String name = r.path("benchmark").asText().replace("org.dialtone.bench.jmh.", "");
      StringBuilder params = new StringBuilder();
      for (Iterator<Map.Entry<String, JsonNode>> it = r.path("params").fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> p = it.next();
        params.append(params.length() == 0 ? "" : ", ").append(p.getKey()).append('=').append(p.getValue().asText());
      }
      JsonNode pm = r.path("primaryMetric");
      double score = pm.path("score").asDouble();
      double error = pm.path("scoreError").asDouble(Double.NaN);
      String unit = pm.path("scoreUnit").asText();
      double opsPerSec;
      double errOps;
      if (unit.startsWith("ops/")) {
        double per = perSecond(unit.substring(4));
        opsPerSec = score * per;
        errOps = error * per;
      } else { // time per op, e.g. "s/op", "us/op"
        double seconds = score * secondsOf(unit.substring(0, unit.indexOf('/')));
        opsPerSec = 1 / seconds;
        double lo = (score - error) * secondsOf(unit.substring(0, unit.indexOf('/')));
        errOps = Double.isNaN(error) || lo <= 0 ? Double.NaN : 1 / lo - opsPerSec;
      }
      double alloc = Double.NaN;
      for (Iterator<Map.Entry<String, JsonNode>> it = r.path("secondaryMetrics").fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> m = it.next();
        if (m.getKey().endsWith("gc.alloc.rate.norm")) {
          alloc = m.getValue().path("score").asDouble();
        }
      }
      md.append("| ").append(name).append(" | ").append(params).append(" | ")
          .append(String.format(Locale.ROOT, "%,.0f", opsPerSec)).append(" | ")
          .append(Double.isNaN(errOps) ? "n/a" : String.format(Locale.ROOT, "%,.0f", errOps)).append(" | ")
          .append(String.format(Locale.ROOT, "%.3f", 1e6 / opsPerSec)).append(" | ")
          .append(Double.isNaN(alloc) ? "n/a" : String.format(Locale.ROOT, "%,.0f", alloc)).append(" |\n");
    }
    return md.toString();
  }

  private static double perSecond(String unit) {
    return 1 / secondsOf(unit);
  }

  private static double secondsOf(String unit) {
    return switch (unit) {
      case "s" -> 1;
      case "ms" -> 1e-3;
      case "us" -> 1e-6;
      case "ns" -> 1e-9;
      case "min" -> 60;
      default -> throw new IllegalArgumentException("unknown time unit " + unit);
    };
  }
}
