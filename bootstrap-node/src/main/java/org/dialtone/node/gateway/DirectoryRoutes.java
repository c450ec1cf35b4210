package org.dialtone.node.gateway;

import static org.dialtone.node.gateway.JsonReplies.json;
import static org.dialtone.node.gateway.JsonReplies.reply;

import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.node.log.StructuredLog;
import org.dialtone.node.metrics.NodeMeters;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.number.NamedNumbers;

/**
 * The BBS directory read from the DHT: {@code /dial/{number}}, {@code /discover?interest=},
 * {@code /numbers?service=}, {@code /agents/{key}} and {@code /shards}. Inputs are checked before any lookup (numbers
 * by the strict parser, words by the record rules, keys as 64 hex digits); a lookup runs only on a ready node (503
 * before) and is timed into the gateway's read histogram.
 */
final class DirectoryRoutes {
  private static final StructuredLog LOG = StructuredLog.of("gateway");
  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64}");

  private final DhtNode node;
  private final NumberResolver resolver;
  private final NodeMeters meters;

  DirectoryRoutes(DhtNode node, NumberResolver resolver, NodeMeters meters) {
    this.node = node;
    this.resolver = resolver;
    this.meters = meters;
  }

  /** Answers a GET on {@code path} if it is a directory route; false otherwise. Bad input throws. */
  boolean serve(HttpServerRequest req, String path) {
    if (path.startsWith("/dial/")) {
      DialNumber n = DialNumber.resolve(RequestParams.segment(path, "/dial/"));
      ready(req, "dial", () -> resolver.discover(n).thenApply(JsonViews::roster));
    } else if (path.equals("/discover")) {
      String interest = RequestParams.word(req, "interest");
      ready(req, "discover", () -> resolver.findAgents(interest).thenApply(JsonViews::agents));
    } else if (path.equals("/numbers")) {
      String service = RequestParams.word(req, "service");
      boolean detail = "true".equals(req.getParam("detail"));
      ready(req, "numbers", () -> resolver.findNumbers(service)
          .thenApply(l -> detail ? JsonViews.listings(l) : JsonViews.numbers(l)));
    } else if (path.startsWith("/agents/")) {
      String id = RequestParams.segment(path, "/agents/");
      if (!HEX_KEY.matcher(id).matches()) {
        throw new IllegalArgumentException("agent id '" + id + "' is not 64 hex digits (an Ed25519 public key)");
      }
      PublicKey key = PublicKey.ofHex(id.toLowerCase(Locale.ROOT));
      ready(req, "agent", () -> resolver.request(key).thenApply(JsonViews::agent));
    } else if (path.equals("/shards")) {
      json(req, 200, JsonViews.namedNumbers(shards()));
    } else {
      return false;
    }
    return true;
  }

  /** The 71 primary shards, then the named numbers beyond them, in shard order. */
  private static List<DialNumber> shards() {
    List<DialNumber> out = new ArrayList<>();
    for (int shard = 0; shard <= DialNumber.LAST_PRIMARY_SHARD; shard++) {
      out.add(DialNumber.parse("744-196884-" + shard));
    }
    NamedNumbers.all().values().stream().filter(n -> !out.contains(n)).forEach(out::add);
    return out;
  }

  /** Runs a DHT read if the node is ready (503 if not), timing it into the histogram. */
  private void ready(HttpServerRequest req, String op, Supplier<CompletionStage<?>> call) {
    if (!node.isReady()) {
      reply(req, ApiError.notReady());
      return;
    }
    long start = System.nanoTime();
    CompletionStage<?> f = call.get();
    f.whenComplete((body, error) -> {
      meters.gatewayRead(op, System.nanoTime() - start);
      if (error != null) {
        ApiError err = ApiError.of(error);
        if (err.status() >= 500) {
          LOG.warn("gateway.failed", "op", op, "code", err.code(), "message", err.message());
        }
        reply(req, err);
      } else {
        json(req, 200, body);
      }
    });
  }
}
