package org.dialtone.node.gateway;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import org.dialtone.dht.DhtNode;
import org.dialtone.node.log.StructuredLog;
import org.dialtone.node.metrics.NodeMeters;

/** {@code POST /records} over HTTP: reads a bounded body, asks {@link BrowserRecords}, stores what passes. */
final class RecordsEndpoint {
  private static final StructuredLog LOG = StructuredLog.of("gateway");
  private final DhtNode node;
  private final NodeMeters meters;
  private final BrowserRecords browserRecords;

  RecordsEndpoint(DhtNode node, NodeMeters meters) {
    this.node = node;
    this.meters = meters;
    this.browserRecords = new BrowserRecords(node.publicKey());
  }

  /**
   * {@code POST /records}: a record a browser agent signed with its own key (see {@link BrowserRecords}), stored in
   * the DHT as the browser's own STORE would be. Answers 202 with the replicas that took it.
   */
  void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.POST) {
      JsonReplies.reply(req, new ApiError(405, "METHOD_NOT_ALLOWED", "POST a signed record to /records", null));
      return;
    }
    long declared = parseLength(req.getHeader("content-length"));
    if (declared > BrowserRecords.MAX_BODY_BYTES) {
      recordRefused(req, new ApiError(413, "BODY_TOO_LARGE", "a record is at most " + BrowserRecords.MAX_BODY_BYTES
          + " bytes of JSON", null));
      return;
    }
    io.vertx.core.buffer.Buffer body = io.vertx.core.buffer.Buffer.buffer();
    req.handler(chunk -> {
      if (req.response().ended()) {
        return; // refused already: the rest of an oversized body is dropped
      }
      if (body.length() + chunk.length() > BrowserRecords.MAX_BODY_BYTES) {
        req.pause();
        req.response().putHeader("connection", "close");
        recordRefused(req, new ApiError(413, "BODY_TOO_LARGE", "a record is at most "
            + BrowserRecords.MAX_BODY_BYTES + " bytes of JSON", null));
        return;
      }
      body.appendBuffer(chunk);
    });
    req.endHandler(v -> {
      if (req.response().ended()) {
        return;
      }
      if (!node.isReady()) {
        recordRefused(req, ApiError.notReady());
        return;
      }
      java.net.InetAddress from;
      try {
        from = java.net.InetAddress.getByName(req.remoteAddress().hostAddress());
      } catch (java.net.UnknownHostException e) {
        recordRefused(req, ApiError.badRequest("BAD_REQUEST", "no source address"));
        return;
      }
      BrowserRecords.Checked checked = browserRecords.check(body.toString(StandardCharsets.UTF_8), from,
          System.currentTimeMillis() / 1000, System.nanoTime());
      if (checked.refusal().isPresent()) {
        recordRefused(req, checked.refusal().get());
        return;
      }
      var record = checked.record().orElseThrow();
      node.put(record).whenComplete((put, e) -> {
        if (e != null) {
          recordRefused(req, ApiError.of(e));
          return;
        }
        meters.gatewayRecord("accepted");
        LOG.info("gateway.record_stored", "publisher", record.publisher().toHex().substring(0, 16), "kind",
            record.kind(), "replicas", put.replicas());
        JsonReplies.json(req, 202, JsonViews.JSON.createObjectNode().put("stored", put.replicas())
            .put("key", record.key().toHex()).put("seq", record.seq()));
      });
    });
  }

  private void recordRefused(HttpServerRequest req, ApiError e) {
    meters.gatewayRecord(e.code().toLowerCase(java.util.Locale.ROOT));
    LOG.info("gateway.record_refused", "remote", req.remoteAddress(), "code", e.code());
    JsonReplies.reply(req, e);
  }

  private static long parseLength(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

}
