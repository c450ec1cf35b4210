package org.dialtone.agent.relay;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.reach.relay.RelayMessage;
import org.dialtone.agent.secure.ClientHandshake;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.rpc.RateLimiter;

/**
 * The relay's dial-back: is a host agent reachable directly? Dials the port it names at its own observed IP address,
 * never another, and sees whether the agent there proves its key; at most one per IP address per
 * {@link RelayServerOptions#dialBackSpacing()}, and the answer (one small message) is smaller than the request.
 */
final class DialBack {
  private final RelayContext relay;
  private final WebSocketClient client;
  private final RateLimiter perAddress;
  private final AtomicLong made = new AtomicLong();
  private final AtomicLong reachable = new AtomicLong();

  DialBack(RelayContext relay, int maxMessage, int maxTrackedAddresses) {
    this.relay = relay;
    RelayServerOptions options = relay.options;
    this.perAddress = new RateLimiter(1000.0 / options.dialBackSpacing().toMillis(), 1, maxTrackedAddresses);
    this.client = relay.vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(maxMessage)
        .setMaxMessageSize(maxMessage).setConnectTimeout((int) options.dialBackTimeout().toMillis()));
  }

  /** Dials {@code port} at the requester's own IP address and answers on {@code ws} whether {@code key} answered. */
  void dialBack(ServerWebSocket ws, String observedIp, int port, PublicKey key) {
    PeerAddress ip = PeerAddress.of(new InetSocketAddress(observedIp, 0));
    synchronized (relay) {
      if (!perAddress.tryAcquire(ip, relay.clock.nanoTime())) {
        relay.count("RATE_LIMITED");
        relay.send(ws, new RelayMessage.Refused("RATE_LIMITED"));
        return;
      }
    }
    made.incrementAndGet();
    ClientHandshake hs = new ClientHandshake(relay.relayIdentity, key, false);
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    var probe = client.webSocket();
    probe.binaryMessageHandler(b -> {
      try {
        hs.onServerHello(b.getBytes()); // verifies the signature over our fresh hello and that the key is the one
        result.complete(true);
      } catch (RuntimeException e) {
        result.complete(false);
      }
      probe.close(AgentError.CLOSED.closeCode(), "dial-back done");
    });
    probe.closeHandler(v -> result.complete(false));
    long timeout = relay.options.dialBackTimeout().toMillis();
    long timer = relay.vertx.setTimer(timeout, t -> {
      result.complete(false);
      probe.close();
    });
    probe.connect(new WebSocketConnectOptions().setHost(observedIp).setPort(port).setURI("/")
        .setTimeout(timeout)).onComplete(ar -> {
          if (ar.failed()) {
            result.complete(false);
          } else {
            probe.writeBinaryMessage(Buffer.buffer(hs.hello()));
          }
        });
    result.thenAccept(answered -> {
      relay.vertx.cancelTimer(timer);
      if (answered) {
        reachable.incrementAndGet();
      }
      relay.send(ws, new RelayMessage.DialBackResult(answered));
    });
  }

  /** Dial-backs made so far. */
  long made() {
    return made.get();
  }

  /** Dial-backs that reached the agent and saw it prove its key. */
  long reachable() {
    return reachable.get();
  }

  CompletableFuture<Void> close() {
    return client.close().toCompletionStage().toCompletableFuture();
  }
}
