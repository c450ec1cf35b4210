package org.dialtone.node.gateway;

import static org.dialtone.node.gateway.JsonReplies.json;
import static org.dialtone.node.gateway.JsonReplies.reply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.NodeMetrics;
import org.dialtone.node.metrics.NodeMeters;

/**
 * What the node says about itself: {@code /health} (200 once bootstrapped, 503 before), {@code /status} (who the node
 * is, where, what it holds and knows; {@code dialtone status} reads it; at most {@value #STATUS_PEERS} peers listed)
 * and {@code /metrics} (Prometheus text from {@link NodeMeters}).
 */
final class NodeStatusRoutes {
  private static final int STATUS_PEERS = 20;

  private final DhtNode node;
  private final NodeMeters meters;
  private final IntSupplier httpPort;
  private final IntSupplier watchers;
  private volatile Supplier<ObjectNode> extras = JsonViews.JSON::createObjectNode;

  NodeStatusRoutes(DhtNode node, NodeMeters meters, IntSupplier httpPort, IntSupplier watchers) {
    this.node = node;
    this.meters = meters;
    this.httpPort = httpPort;
    this.watchers = watchers;
  }

  /** Adds fields to {@code /status}. */
  void extras(Supplier<ObjectNode> extras) {
    this.extras = extras;
  }

  /** Answers {@code path} if it is one of these routes; false otherwise. */
  boolean serve(HttpServerRequest req, String path) {
    switch (path) {
      case "/health" -> health(req);
      case "/status" -> status(req);
      case "/metrics" -> metrics(req);
      default -> {
        return false;
      }
    }
    return true;
  }

  private void health(HttpServerRequest req) {
    boolean ready = node.isReady();
    node.stats().whenComplete((s, e) -> {
      var o = JsonViews.JSON.createObjectNode();
      o.put("status", ready ? "ready" : "starting");
      o.put("id", node.id().toHex());
      o.put("udp", node.address().toString());
      if (s != null) {
        o.put("contacts", s.routingTableSize());
        o.put("records", s.storedRecords());
      }
      json(req, ready ? 200 : 503, o);
    });
  }

  /** {@code dialtone status} reads this: who the node is, where, and what it holds and knows. */
  private void status(HttpServerRequest req) {
    node.stats().thenCombine(node.contacts(), (s, contacts) -> {
      var o = JsonViews.JSON.createObjectNode();
      o.put("status", node.isReady() ? "ready" : "starting");
      o.put("id", node.id().toHex());
      o.put("udp", node.address().toString());
      o.put("http", hostPort(req.localAddress().hostAddress(), httpPort.getAsInt()));
      o.put("routingTable", s.routingTableSize());
      o.put("records", s.storedRecords());
      o.put("watchers", watchers.getAsInt());
      var m = node.metrics();
      o.putObject("traffic").put("datagramsIn", m.get(NodeMetrics.Counter.DATAGRAMS_IN))
          .put("datagramsOut", m.get(NodeMetrics.Counter.DATAGRAMS_OUT))
          .put("bytesIn", m.get(NodeMetrics.Counter.BYTES_IN)).put("bytesOut", m.get(NodeMetrics.Counter.BYTES_OUT));
      o.setAll(extras.get());
      var peers = o.putArray("peers");
      contacts.stream().limit(STATUS_PEERS).forEach(c -> peers.addObject()
          .put("id", c.id().toHex().substring(0, 16)).put("udp", c.address().toString()));
      o.put("peersShown", Math.min(contacts.size(), STATUS_PEERS));
      return o;
    }).whenComplete((o, e) -> {
      if (e != null) {
        reply(req, ApiError.of(e));
      } else {
        json(req, 200, o);
      }
    });
  }

  private void metrics(HttpServerRequest req) {
    meters.scrape(node.stats()).whenComplete((text, e) -> {
      if (e != null) {
        reply(req, ApiError.of(e));
        return;
      }
      req.response().setStatusCode(200).putHeader("content-type", NodeMeters.CONTENT_TYPE).end(text);
    });
  }

  /** {@code host:port}, with an IPv6 literal in brackets ({@code [::1]:8440}). */
  static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }
}
