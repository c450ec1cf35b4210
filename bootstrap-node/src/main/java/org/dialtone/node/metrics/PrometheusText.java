package org.dialtone.node.metrics;

import java.util.Locale;
import java.util.Map;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.api.NodeStats;

/**
 * The node's metrics in the Prometheus text exposition format (version 0.0.4), written by hand: a handful of
 * gauges and counters from {@link NodeStats}, and the gateway's latency histogram.
 */
public final class PrometheusText {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusText() {}

  public static String render(NodeStats stats, boolean ready, LatencyHistogram latency, int watchers) {
    StringBuilder out = new StringBuilder(4096);
    gauge(out, "dialtone_ready", "1 once the node has bootstrapped", ready ? 1 : 0);
    gauge(out, "dialtone_routing_table_contacts", "contacts in the routing table", stats.routingTableSize());
    gauge(out, "dialtone_stored_records", "records held for others", stats.storedRecords());
    gauge(out, "dialtone_pending_requests", "DHT requests in flight", stats.pendingRequests());
    gauge(out, "dialtone_request_timeout_seconds", "current adaptive timeout of a first transmission",
        stats.requestTimeoutMillis() / 1000.0);
    gauge(out, "dialtone_gateway_watchers", "WebSocket watches open on the gateway", watchers);

    header(out, "dialtone_datagrams_total", "UDP datagrams by direction", "counter");
    sample(out, "dialtone_datagrams_total{direction=\"in\"}", stats.get(Counter.DATAGRAMS_IN));
    sample(out, "dialtone_datagrams_total{direction=\"out\"}", stats.get(Counter.DATAGRAMS_OUT));
    header(out, "dialtone_bytes_total", "UDP payload bytes by direction", "counter");
    sample(out, "dialtone_bytes_total{direction=\"in\"}", stats.get(Counter.BYTES_IN));
    sample(out, "dialtone_bytes_total{direction=\"out\"}", stats.get(Counter.BYTES_OUT));

    header(out, "dialtone_dropped_datagrams_total", "datagrams dropped, by reason", "counter");
    for (Map.Entry<Counter, String> e : Map.of(
        Counter.DROPPED_OVERSIZED, "oversized",
        Counter.DROPPED_MALFORMED, "malformed",
        Counter.DROPPED_UNSUPPORTED_VERSION, "unsupported_version",
        Counter.DROPPED_UNSOLICITED, "unsolicited",
        Counter.DROPPED_RATE_LIMITED, "rate_limited",
        Counter.DROPPED_NOT_SERVING, "not_serving",
        Counter.DROPPED_INTERNAL_ERROR, "internal_error").entrySet().stream()
        .sorted(Map.Entry.comparingByValue()).toList()) {
      sample(out, "dialtone_dropped_datagrams_total{reason=\"" + e.getValue() + "\"}", stats.get(e.getKey()));
    }

    counter(out, "dialtone_requests_served_total", "DHT requests answered", stats.get(Counter.REQUESTS_SERVED));
    counter(out, "dialtone_stores_accepted_total", "STOREs accepted", stats.get(Counter.STORES_ACCEPTED));
    counter(out, "dialtone_stores_refused_total", "STOREs refused", stats.get(Counter.STORES_REFUSED));
    counter(out, "dialtone_lookups_total", "lookups started by this node", stats.get(Counter.LOOKUPS));
    counter(out, "dialtone_proofs_failed_total", "challenge signatures that did not verify",
        stats.get(Counter.PROOFS_FAILED));
    counter(out, "dialtone_records_rejected_total", "records a reader refused", stats.get(Counter.RECORDS_REJECTED));
    latency.render(out);
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, double value) {
    header(out, name, help, "gauge");
    sample(out, name, value);
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    header(out, name, help, "counter");
    sample(out, name, value);
  }

  private static void header(StringBuilder out, String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String series, double value) {
    out.append(series).append(' ');
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      out.append((long) value);
    } else {
      out.append(String.format(Locale.ROOT, "%.6f", value));
    }
    out.append('\n');
  }
}
