package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.api.NodeMetrics;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.node.metrics.NodeMeters;
import org.dialtone.node.runner.NodeRunner;
import org.dialtone.node.runner.NodeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node's {@code /metrics}, scraped over real HTTP: every counter of {@link Counter} is there, each bound to
 * its own counter; JVM, process and build metrics are there; gateway requests are counted by route and status.
 */
class MetricsExportTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Far above what the node counts by itself in this test, so each counter's offset identifies it. */
  private static final long STRIDE = 1_000_000_000L;
  @TempDir Path data;
  private LocalTestnet net;
  private NodeRunner runner;

  @BeforeEach
  void start() throws Exception {
    net = LocalTestnet.start(3);
    runner = NodeRunner.start(new NodeSettings("127.0.0.1", 0, 0, data, net.seeds(), Optional.empty(),
        Duration.ofSeconds(5)), net.vertx());
    runner.node().ready().get(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    try {
      if (runner != null) {
        runner.close();
      }
    } finally {
      net.close();
    }
  }

  @Test
  void everyNodeCounterIsExportedAndBoundToItsOwnCounter() throws Exception {
    NodeMetrics counters = runner.node().metrics();
    for (Counter c : Counter.values()) {
      counters.add(c, STRIDE * (c.ordinal() + 1)); // a distinct mark per counter
    }
    HttpResponse<String> m = get("/metrics");
    assertEquals(200, m.statusCode());
    assertTrue(m.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
    Map<String, Double> samples = samples(m.body());
    for (Counter c : Counter.values()) {
      String series = NodeMeters.seriesOf(c).prometheusSeries();
      Double value = samples.get(series);
      assertTrue(value != null, "counter " + c + " is not exported as " + series + " in\n" + m.body());
      assertEquals(c.ordinal() + 1, (long) (value / STRIDE), c + " exported as " + series + " = " + value
          + " carries another counter's value");
    }
  }

  @Test
  void processBuildAndGatewayRequestMetricsAreThere() throws Exception {
    assertEquals(200, get("/health").statusCode());
    assertEquals(404, get("/no/such/thing").statusCode());
    assertEquals(400, get("/dial/744-x").statusCode());
    String text = get("/metrics").body();
    Map<String, Double> samples = samples(text);
    for (String series : new String[] {
        "dialtone_ready", "dialtone_routing_table_contacts", "dialtone_stored_records", "dialtone_pending_requests",
        "dialtone_request_timeout_seconds", "dialtone_gateway_watchers", "jvm_memory_used_bytes{area=\"heap\",id=",
        "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds", "jvm_classes_loaded_classes",
        "dialtone_build_info{java=\"" + Runtime.version() + "\",version=\"",
        "dialtone_gateway_requests_seconds_count{route=\"health\",status=\"200\"}",
        "dialtone_gateway_requests_seconds_count{route=\"other\",status=\"404\"}",
        "dialtone_gateway_requests_seconds_count{route=\"dial\",status=\"400\"}",
        "dialtone_gateway_requests_seconds_sum{route=\"health\",status=\"200\"}",
        "dialtone_relay_reservations", "dialtone_relay_circuits", "dialtone_relay_reservations_granted_total",
        "dialtone_relay_circuits_opened_total", "dialtone_relay_bytes_total",
        "dialtone_relay_dialbacks_total{result=\"reachable\"}", "dialtone_relay_refusals_total{reason=\"not_proven\"}",
        "dialtone_relay_refusals_total{reason=\"peer_circuits_full\"}"}) {
      assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith(series)), "missing " + series + " in\n" + text);
    }
    assertEquals(1.0, samples.get("dialtone_ready"));
    assertTrue(samples.get("dialtone_routing_table_contacts") >= 1, text);
    assertEquals(1.0, samples.get("dialtone_gateway_requests_seconds_count{route=\"health\",status=\"200\"}"));
    assertTrue(!text.contains("version=\"unknown\""), "the build version was not filtered in:\n" + text);
  }

  /** Series (name and labels) to value, from Prometheus text. */
  private static Map<String, Double> samples(String text) {
    Map<String, Double> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return out;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.httpPort() + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
