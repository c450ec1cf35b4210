package org.dialtone.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.dialtone.dht.api.NodeMetrics;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.api.NodeStats;

/** Whatever the node counted, the scrape shows exactly that, under each counter's own series. */
class NodeMetersProperties {
  record Add(Counter counter, long amount) {}

  record Request(String route, int status) {}

  @Provide
  Arbitrary<Add> adds() {
    return Combinators.combine(Arbitraries.of(Counter.class), Arbitraries.longs().between(1, 1L << 40))
        .as(Add::new);
  }

  @Property(tries = 60)
  void theScrapeShowsEveryCountersSum(@ForAll @Size(max = 60) List<@net.jqwik.api.From("adds") Add> adds) {
    NodeMetrics counters = new NodeMetrics();
    Map<Counter, Long> expected = new EnumMap<>(Counter.class);
    for (Counter c : Counter.values()) {
      expected.put(c, 0L);
    }
    for (Add a : adds) {
      counters.add(a.counter(), a.amount());
      expected.merge(a.counter(), a.amount(), Long::sum);
    }
    try (NodeMeters meters = NodeMeters.create(counters, () -> true)) {
      NodeStats stats = new NodeStats(3, 4, counters.snapshot(), 5, 1500);
      Map<String, Double> samples = samples(meters.scrape(CompletableFuture.completedFuture(stats)).join());
      for (Counter c : Counter.values()) {
        String series = NodeMeters.seriesOf(c).prometheusSeries();
        // doubles are exact for integers below 2^53, which the amounts stay under
        assertEquals((double) expected.get(c), samples.get(series), series);
      }
      assertEquals(3.0, samples.get("dialtone_routing_table_contacts"));
      assertEquals(4.0, samples.get("dialtone_stored_records"));
      assertEquals(5.0, samples.get("dialtone_pending_requests"));
      assertEquals(1.5, samples.get("dialtone_request_timeout_seconds"));
    }
  }

  @Property(tries = 20)
  void gatewayRequestsAreCountedByRouteAndStatus(
      @ForAll @Size(max = 40) List<@net.jqwik.api.From("requests") Request> requests) {
    Map<String, Integer> expected = new HashMap<>();
    try (NodeMeters meters = NodeMeters.create(new NodeMetrics(), () -> false)) {
      for (Request r : requests) {
        meters.gatewayRequest(r.route(), r.status(), 1_000_000);
        expected.merge("dialtone_gateway_requests_seconds_count{route=\"" + r.route() + "\",status=\""
            + r.status() + "\"}", 1, Integer::sum);
      }
      NodeStats stats = new NodeStats(0, 0, Map.of(), 0, 0);
      Map<String, Double> samples = samples(meters.scrape(CompletableFuture.completedFuture(stats)).join());
      expected.forEach((series, n) -> assertEquals((double) n, samples.get(series), series));
      long exported = samples.keySet().stream().filter(k -> k.startsWith("dialtone_gateway_requests_seconds_count"))
          .count();
      assertEquals(expected.size(), exported);
    }
  }

  @Provide
  Arbitrary<Request> requests() {
    return Combinators.combine(Arbitraries.of("dial", "health", "metrics", "other"), Arbitraries.of(200, 400, 404, 503))
        .as(Request::new);
  }

  static Map<String, Double> samples(String text) {
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
}
