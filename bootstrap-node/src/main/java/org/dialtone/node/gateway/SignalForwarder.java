package org.dialtone.node.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.dht.api.SignalRefusal;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.rpc.KeyedQuota;

/**
 * A posted signal whose recipient is not attached here goes to the node the recipient names in its signed directory
 * record ({@code agent:<key>}, an endpoint {@link NodeEndpoint}), as a DHT SIGNAL, byte for byte. Only an address
 * that a record signed by the recipient names (the DHT verifies every record it returns; the record's publisher
 * must be the signal's recipient), only the envelope, only once (the receiving node never forwards again), and only
 * after that address proved the named node key (the DHT's {@code signal}). Forwards in flight are bounded in all and
 * per sender network, so one network cannot hold them all. The signal itself passed every check of a POST before
 * (the sender network's rate, size, signature, lifetime, the recipient's rate). Plain; the lookup and the link are
 * passed in; thread-safe.
 */
final class SignalForwarder {
  static final int MAX_IN_FLIGHT = 64;
  static final int MAX_IN_FLIGHT_PER_PREFIX = 4;

  /** The endpoints in the recipient's own verified directory record, empty when it has none. */
  interface Directory {
    CompletableFuture<List<String>> endpointsOf(PublicKey agent);
  }

  /** Sends a SIGNAL (the DHT's {@code signal}). */
  interface Link {
    CompletableFuture<Optional<SignalRefusal>> signal(PublicKey nodeKey, PeerAddress to, byte[] envelope);
  }

  /** Where a forward ended: delivered through {@code via}, or the error to answer; {@code result} for the meter. */
  record Outcome(Optional<NodeEndpoint> via, Optional<ApiError> refusal, String result) {
    static Outcome refused(int status, String code, String message, String result) {
      return new Outcome(Optional.empty(), Optional.of(new ApiError(status, code, message, null)), result);
    }
  }

  private final PublicKey self;
  private final Directory directory;
  private final Link link;
  private final KeyedQuota<Long> inFlight = new KeyedQuota<>(MAX_IN_FLIGHT, MAX_IN_FLIGHT_PER_PREFIX);

  SignalForwarder(PublicKey self, Directory directory, Link link) {
    this.self = self;
    this.directory = directory;
    this.link = link;
  }

  /** Forwards {@code envelope} (the bytes of {@code signal}) posted from network {@code senderPrefix}. */
  CompletableFuture<Outcome> forward(SignedSignal signal, byte[] envelope, long senderPrefix) {
    if (!inFlight.take(senderPrefix)) {
      return CompletableFuture.completedFuture(Outcome.refused(429, "TOO_MANY_FORWARDS", "too many signals from "
          + "this network are on their way to other nodes; try again shortly", "too_many_forwards"));
    }
    PublicKey recipient = signal.body().recipient();
    CompletableFuture<Outcome> out = directory.endpointsOf(recipient).thenCompose(endpoints -> {
      Optional<NodeEndpoint> node = endpoints.stream().map(NodeEndpoint::parse).flatMap(Optional::stream)
          .filter(n -> !n.nodeKey().equals(self)).findFirst();
      if (node.isEmpty()) {
        return CompletableFuture.completedFuture(Outcome.refused(404, "NOT_ATTACHED", "agent "
            + recipient.toHex().substring(0, 16) + "... holds no signal session on this node and names no other",
            "not_attached"));
      }
      return link.signal(node.get().nodeKey(), node.get().address(), envelope).thenApply(refusal -> refusal
          .map(r -> Outcome.refused(statusOf(r), r.code().name(), "the agent's node refused the signal: "
              + LogSafe.clip(r.message()), "forward_" + r.code().name().toLowerCase(Locale.ROOT)))
          .orElseGet(() -> new Outcome(node, Optional.empty(), "forwarded")));
    }).exceptionally(SignalForwarder::failed);
    out.whenComplete((o, e) -> inFlight.give(senderPrefix));
    return out;
  }

  private static int statusOf(SignalRefusal r) {
    return switch (r.code()) {
      case NOT_ATTACHED -> 404;
      case RATE_LIMITED -> 429;
      case BAD_SIGNATURE -> 403;
      case PAYLOAD_TOO_LARGE -> 413;
      case EXPIRED, MALFORMED -> 400;
      default -> 502;
    };
  }

  private static Outcome failed(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof DhtException d) {
      return switch (d.code()) {
        case TIMEOUT -> Outcome.refused(504, "NODE_UNREACHABLE", "the agent's node did not answer", "forward_timeout");
        case BAD_SIGNATURE -> Outcome.refused(502, "NODE_UNPROVEN", "the address the agent names does not prove "
            + "the node key it names", "forward_unproven");
        case OVERLOADED -> Outcome.refused(503, "OVERLOADED", "too many signals in flight to other nodes",
            "forward_overloaded");
        default -> Outcome.refused(502, "FORWARD_FAILED", LogSafe.clip(String.valueOf(d.getMessage())),
            "forward_failed");
      };
    }
    return Outcome.refused(502, "FORWARD_FAILED", LogSafe.clip(String.valueOf(cause)), "forward_failed");
  }
}
