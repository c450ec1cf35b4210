package org.dialtone.dht;

import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.time.VertxScheduler;
import org.dialtone.dht.transport.VertxTransport;

/** Starts {@link DhtNode}s on real UDP sockets with Vert.x. */
public final class DhtNodes {
  private DhtNodes() {}

  /**
   * Starts a node on a UDP socket bound to {@code host:port} (port 0 picks a free one), on a fresh Vert.x event-loop
   * context of {@code vertx}. The node answers queries at once; call {@link DhtNode#bootstrap} to join a network.
   */
  public static CompletableFuture<DhtNode> startUdp(
      Vertx vertx, DhtConfig config, Identity identity, String host, int port) {
    VertxScheduler scheduler = VertxScheduler.create(vertx);
    return VertxTransport.bind(vertx, scheduler, host, port)
        .thenApply(transport -> DhtNode.create(config, identity, transport, scheduler, new SecureRandom()));
  }
}
