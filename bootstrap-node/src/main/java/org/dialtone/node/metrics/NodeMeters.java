package org.dialtone.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.dialtone.dht.api.NodeMetrics;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.api.NodeStats;
import org.dialtone.node.lan.LanCounters;

/**
 * A node's metrics on a Micrometer registry, scraped as Prometheus text: every DHT counter, the node's gauges, the
 * gateway's requests by route and status, the gateway's DHT reads by operation, JVM and process metrics, and build
 * info.
 *
 * <p>Every {@link Counter} is exported by construction: {@link #seriesOf} is an exhaustive {@code switch}, so a new
 * counter does not compile until it is given a series, and {@link #bindCounters} registers them all. The DHT keeps
 * its own dependency-free {@link NodeMetrics} (one atomic add per event); this class only reads it at scrape time.
 *
 * <p>Every label value comes from this code (a counter, a route name, an HTTP status the gateway chose), never
 * from a client, so the number of series is bounded.
 */
public final class NodeMeters implements AutoCloseable {
  /** The Prometheus text exposition format that {@link #scrape} writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** Objects that function counters read, held here because Micrometer holds them weakly. */
  private final List<Object> held = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Bucket bounds of the gateway's DHT-read latency histogram (the ones the hand-written exporter used). */
  static final double[] READ_BUCKETS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

  /**
   * The Prometheus series a node counter is exported as.
   *
   * @param name the Micrometer name (dots); Prometheus shows it with underscores and a {@code _total} suffix
   * @param help what it counts
   * @param labelKey the one label of the series, or empty for none
   * @param labelValue that label's value, or empty
   */
  public record CounterSeries(String name, String help, String labelKey, String labelValue) {
    static CounterSeries plain(String name, String help) {
      return new CounterSeries(name, help, "", "");
    }

    Tags tags() {
      return labelKey.isEmpty() ? Tags.empty() : Tags.of(labelKey, labelValue);
    }

    /** The series as it appears in the scrape, e.g. {@code dialtone_datagrams_total{direction="in"}}. */
    public String prometheusSeries() {
      String base = name.replace('.', '_') + "_total";
      return labelKey.isEmpty() ? base : base + "{" + labelKey + "=\"" + labelValue + "\"}";
    }
  }

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  /** The gauges read the snapshot taken just before each scrape; counters are read live. */
  private volatile NodeStats lastStats;

  private NodeMeters() {}

  /**
   * The metrics of a node: its live counters, and gauges over the snapshot {@link #scrape} takes.
   *
   * @param counters the node's live counters (readable from any thread)
   * @param ready whether the node has bootstrapped
   */
  public static NodeMeters create(NodeMetrics counters, BooleanSupplier ready) {
    NodeMeters m = new NodeMeters();
    m.bindCounters(counters);
    m.bindNodeGauges(ready);
    m.bindProcess();
    return m;
  }

  /** The series of {@code counter}; exhaustive, so no counter can be left out. */
  public static CounterSeries seriesOf(Counter counter) {
    return switch (counter) {
      case DATAGRAMS_IN -> new CounterSeries("dialtone.datagrams", "UDP datagrams by direction", "direction", "in");
      case DATAGRAMS_OUT -> new CounterSeries("dialtone.datagrams", "UDP datagrams by direction", "direction", "out");
      case BYTES_IN -> new CounterSeries("dialtone.bytes", "UDP payload bytes by direction", "direction", "in");
      case BYTES_OUT -> new CounterSeries("dialtone.bytes", "UDP payload bytes by direction", "direction", "out");
      case DROPPED_OVERSIZED -> dropped("oversized");
      case DROPPED_MALFORMED -> dropped("malformed");
      case DROPPED_UNSUPPORTED_VERSION -> dropped("unsupported_version");
      case DROPPED_UNSOLICITED -> dropped("unsolicited");
      case DROPPED_RATE_LIMITED -> dropped("rate_limited");
      case DROPPED_NOT_SERVING -> dropped("not_serving");
      case DROPPED_INTERNAL_ERROR -> dropped("internal_error");
      case REQUESTS_SERVED -> CounterSeries.plain("dialtone.requests.served", "DHT requests answered");
      case STORES_ACCEPTED -> CounterSeries.plain("dialtone.stores.accepted", "STOREs accepted");
      case STORES_REFUSED -> CounterSeries.plain("dialtone.stores.refused", "STOREs refused");
      case CONTACTS_VERIFIED -> CounterSeries.plain("dialtone.contacts.verified",
          "contacts that proved their key and were offered to the routing table");
      case PROOFS_FAILED -> CounterSeries.plain("dialtone.proofs.failed", "challenge signatures that did not verify");
      case PROOFS_SIGNED -> CounterSeries.plain("dialtone.proofs.signed", "challenges this node signed");
      case PROOFS_VERIFIED -> CounterSeries.plain("dialtone.proofs.verified", "challenge signatures this node checked");
      case ID_MISMATCH -> CounterSeries.plain("dialtone.id.mismatches",
          "replies whose key did not hash to the id the request was sent to");
      case LOOKUPS -> CounterSeries.plain("dialtone.lookups", "lookups started by this node");
      case RECORDS_REJECTED -> CounterSeries.plain("dialtone.records.rejected", "records a reader refused");
      case HANDOFF_RECORDS -> CounterSeries.plain("dialtone.handoff.records",
          "records handed to a new close neighbour");
      case NOTIFICATIONS_SENT -> new CounterSeries("dialtone.notifications",
          "NOTIFY requests sent to subscribers, and received for watched keys", "direction", "sent");
      case NOTIFICATIONS_RECEIVED -> new CounterSeries("dialtone.notifications",
          "NOTIFY requests sent to subscribers, and received for watched keys", "direction", "received");
      case SUBSCRIPTIONS -> CounterSeries.plain("dialtone.subscriptions",
          "SUBSCRIBE requests accepted (new and refreshed)");
      case NOTIFICATIONS_DROPPED -> new CounterSeries("dialtone.notifications.dropped",
          "NOTIFYs not sent or not accepted, by reason", "reason", "budget");
      case NOTIFICATIONS_UNSOLICITED -> new CounterSeries("dialtone.notifications.dropped",
          "NOTIFYs not sent or not accepted, by reason", "reason", "unsolicited");
      case DROPPED_UNPROVEN_ADDRESS -> CounterSeries.plain("dialtone.unproven.sends.dropped",
          "datagrams not sent: past three times what an unproven address sent us (anti-amplification)");
      case REPLIES_TRUNCATED -> CounterSeries.plain("dialtone.replies.truncated",
          "replies cut short to stay within three times the request of an unproven sender");
      case REFERRALS_DROPPED -> CounterSeries.plain("dialtone.referrals.dropped",
          "contacts a lookup did not follow (per-responder cap, private ranges from a public peer, self)");
    };
  }

  private static CounterSeries dropped(String reason) {
    return new CounterSeries("dialtone.dropped.datagrams", "datagrams dropped, by reason", "reason", reason);
  }

  private void bindCounters(NodeMetrics counters) {
    for (Counter c : Counter.values()) {
      CounterSeries s = seriesOf(c);
      FunctionCounter.builder(s.name(), counters, m -> m.get(c)).description(s.help()).tags(s.tags())
          .register(registry);
    }
  }

  /**
   * Adds the relay's series: reservations and circuits held now (gauges), reservations granted, circuits spliced,
   * bytes relayed, dial-backs by result, and refusals by reason (counters).
   */
  public void bindRelay(java.util.function.Supplier<org.dialtone.agent.relay.RelayStats> stats) {
    held.add(stats); // function counters hold their object weakly
    Gauge.builder("dialtone.relay.reservations", () -> stats.get().reservations())
        .description("relay reservations held now").register(registry);
    Gauge.builder("dialtone.relay.circuits", () -> stats.get().circuits())
        .description("relay circuits open now (waiting for the host or spliced)").register(registry);
    FunctionCounter.builder("dialtone.relay.reservations.granted", stats, s -> s.get().reservationsGranted())
        .description("relay reservations granted or renewed").register(registry);
    FunctionCounter.builder("dialtone.relay.circuits.opened", stats, s -> s.get().circuitsOpened())
        .description("relay circuits spliced").register(registry);
    FunctionCounter.builder("dialtone.relay.bytes", stats, s -> s.get().bytesRelayed())
        .description("bytes relayed, both directions").register(registry);
    FunctionCounter.builder("dialtone.relay.dialbacks", stats, s -> s.get().dialBacksReachable())
        .description("dial-backs by result").tags("result", "reachable").register(registry);
    FunctionCounter.builder("dialtone.relay.dialbacks", stats,
            s -> s.get().dialBacks() - s.get().dialBacksReachable())
        .description("dial-backs by result").tags("result", "unreachable").register(registry);
    for (String code : org.dialtone.agent.relay.RelayServer.REFUSAL_CODES) {
      FunctionCounter.builder("dialtone.relay.refusals", stats, s -> s.get().refused(code))
          .description("relay requests refused and circuits closed at a limit, by reason")
          .tags("reason", code.toLowerCase(java.util.Locale.ROOT)).register(registry);
    }
  }

  private void bindNodeGauges(BooleanSupplier ready) {
    Gauge.builder("dialtone.ready", () -> ready.getAsBoolean() ? 1 : 0)
        .description("1 once the node has bootstrapped").register(registry);
    Gauge.builder("dialtone.routing.table.contacts", () -> stat(s -> s.routingTableSize()))
        .description("contacts in the routing table").register(registry);
    Gauge.builder("dialtone.stored.records", () -> stat(s -> s.storedRecords()))
        .description("records held for others").register(registry);
    Gauge.builder("dialtone.pending.requests", () -> stat(s -> s.pendingRequests()))
        .description("DHT requests in flight").register(registry);
    Gauge.builder("dialtone.request.timeout", () -> stat(s -> s.requestTimeoutMillis() / 1000.0))
        .description("current adaptive timeout of a first transmission").baseUnit("seconds").register(registry);
  }

  private double stat(java.util.function.ToDoubleFunction<NodeStats> f) {
    NodeStats s = lastStats;
    return s == null ? Double.NaN : f.applyAsDouble(s);
  }

  private void bindProcess() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Gauge.builder("dialtone.build.info", () -> 1)
        .description("build information: the Dialtone version and the Java runtime")
        .tags("version", buildVersion(), "java", Runtime.version().toString())
        .register(registry);
  }

  /** The project version Maven wrote into build.properties, or "unknown" when run from unfiltered sources. */
  static String buildVersion() {
    try (InputStream in = NodeMeters.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The series of a LAN discovery counter; exhaustive, so no counter can be left out. */
  public static CounterSeries seriesOf(LanCounters.Counter counter) {
    String traffic = "mDNS packets and bytes of LAN discovery, by direction";
    String refused = "mDNS packets dropped and adverts refused by LAN discovery, by reason";
    return switch (counter) {
      case PACKETS_IN -> new CounterSeries("dialtone.lan.packets", traffic, "direction", "in");
      case PACKETS_OUT -> new CounterSeries("dialtone.lan.packets", traffic, "direction", "out");
      case BYTES_IN -> new CounterSeries("dialtone.lan.bytes", traffic, "direction", "in");
      case BYTES_OUT -> new CounterSeries("dialtone.lan.bytes", traffic, "direction", "out");
      case QUERIES_SENT -> new CounterSeries("dialtone.lan.sent", "mDNS messages sent, by kind", "kind", "query");
      case ANNOUNCEMENTS_SENT -> new CounterSeries("dialtone.lan.sent", "mDNS messages sent, by kind", "kind",
          "announcement");
      case PEERS_LEARNED -> new CounterSeries("dialtone.lan.peers", "LAN peers by outcome", "outcome", "learned");
      case PEERS_VERIFIED -> new CounterSeries("dialtone.lan.peers", "LAN peers by outcome", "outcome", "verified");
      case PEERS_UNVERIFIED -> new CounterSeries("dialtone.lan.peers", "LAN peers by outcome", "outcome",
          "unverified");
      case DROPPED_MALFORMED -> new CounterSeries("dialtone.lan.refused", refused, "reason", "malformed");
      case DROPPED_RATE_LIMITED -> new CounterSeries("dialtone.lan.refused", refused, "reason", "rate_limited");
      case DROPPED_OFF_LINK -> new CounterSeries("dialtone.lan.refused", refused, "reason", "off_link");
      case REFUSED_BAD_ID -> new CounterSeries("dialtone.lan.refused", refused, "reason", "bad_id");
      case REFUSED_BAD_PORT -> new CounterSeries("dialtone.lan.refused", refused, "reason", "bad_port");
      case REFUSED_INCOMPLETE -> new CounterSeries("dialtone.lan.refused", refused, "reason", "incomplete");
      case REFUSED_CONFLICT -> new CounterSeries("dialtone.lan.refused", refused, "reason", "conflict");
      case REFUSED_OVER_CAP -> new CounterSeries("dialtone.lan.refused", refused, "reason", "over_cap");
    };
  }

  /** Adds LAN discovery's counters (a node with discovery on). */
  public void bindLan(LanCounters counters) {
    for (LanCounters.Counter c : LanCounters.Counter.values()) {
      CounterSeries s = seriesOf(c);
      FunctionCounter.builder(s.name(), counters, m -> m.get(c)).description(s.help()).tags(s.tags())
          .register(registry);
    }
  }

  /**
   * Adds {@code dialtone_stun_requests_total{result}}: what the node's STUN port did with each datagram.
   *
   * @param counts the count for each result: answered, unknown_attributes, malformed, rate_limited
   */
  public void bindStun(java.util.function.ToLongFunction<String> counts, List<String> results) {
    held.add(counts); // Micrometer keeps a function counter's object weakly, and nothing else holds this function
    for (String result : results) {
      FunctionCounter.builder("dialtone.stun.requests", counts, c -> c.applyAsLong(result))
          .description("datagrams on the STUN port, by what was done with them").tag("result", result)
          .register(registry);
    }
  }

  /**
   * Counts one record a browser posted: {@code result} is {@code accepted} or the refusal's code in lower case (a
   * fixed set chosen by the gateway, never client text).
   */
  public void gatewayRecord(String result) {
    registry.counter("dialtone.gateway.records", "result", result).increment();
  }

  /**
   * Counts one signal a browser posted ({@code POST /signals}): {@code delivered} or the refusal's code in lower case
   * (a fixed set chosen by the gateway).
   */
  public void gatewaySignal(String result) {
    registry.counter("dialtone.gateway.signals", "result", result).increment();
  }

  /**
   * Counts one SIGNAL another node forwarded here (DHT, node to node): {@code delivered} to the attached inbox, or the
   * refusal's code in lower case ({@code not_attached}, {@code bad_signature}, {@code rate_limited}, ...).
   */
  public void nodeSignal(String result) {
    registry.counter("dialtone.node.signals", "result", result).increment();
  }

  /**
   * Counts one signal session event ({@code WS /signals/{key}}): {@code attached}, {@code replaced} (the same key
   * attached again) or the refusal's code in lower case ({@code bad_proof}, {@code no_proof}, ...).
   */
  public void gatewaySignalSession(String result) {
    registry.counter("dialtone.gateway.signal.sessions", "result", result).increment();
  }

  /** Adds the gauge of WebSocket watches open on the gateway. */
  public void bindWatchers(IntSupplier watchers) {
    Gauge.builder("dialtone.gateway.watchers", watchers::getAsInt)
        .description("WebSocket watches open on the gateway").register(registry);
  }

  /**
   * Records one gateway HTTP request.
   *
   * @param route the endpoint, a fixed name chosen by the gateway (never the raw path)
   * @param status the HTTP status it answered
   */
  public void gatewayRequest(String route, int status, long nanos) {
    Timer.builder("dialtone.gateway.requests").description("HTTP requests the gateway answered, by route and status")
        .tags("route", route, "status", Integer.toString(status))
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records one DHT read the gateway ran ({@code op}: dial, discover, numbers, agent). */
  public void gatewayRead(String op, long nanos) {
    Timer.builder("dialtone.lookup.duration").description("latency of the gateway's DHT reads, by operation")
        .tags("op", op).serviceLevelObjectives(readBuckets())
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  private static Duration[] readBuckets() {
    Duration[] d = new Duration[READ_BUCKETS_SECONDS.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = Duration.ofNanos(Math.round(READ_BUCKETS_SECONDS[i] * 1e9));
    }
    return d;
  }

  /**
   * Takes a snapshot of the node's gauges ({@code stats}), then renders every meter as Prometheus text.
   *
   * @param stats the node's statistics, read on the node's own thread
   */
  public CompletableFuture<String> scrape(CompletableFuture<NodeStats> stats) {
    return stats.thenApply(s -> {
      lastStats = s;
      return registry.scrape();
    });
  }

  /** The registry, for meters of the caller's own. */
  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
