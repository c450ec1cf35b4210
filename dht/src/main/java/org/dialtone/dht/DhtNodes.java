package org.dialtone.dht;

import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.time.VertxScheduler;
import org.dialtone.dht.transport.DualStackTransport;
import org.dialtone.dht.transport.Transport;
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
    List<String> hosts = List.of(host.split(",", -1));
    if (hosts.size() == 2) {
      return startDualStack(vertx, config, identity, hosts.get(0).strip(), hosts.get(1).strip(), port);
    }
    if (hosts.size() > 2) {
      throw new IllegalArgumentException("at most two addresses, one per family, got " + host);
    }
    VertxScheduler scheduler = VertxScheduler.create(vertx);
    return VertxTransport.bind(vertx, scheduler, host, port)
        .thenApply(transport -> DhtNode.create(config, identity, transport, scheduler, new SecureRandom()));
  }

  /**
   * Starts a dual-stack node: one UDP socket on {@code ipv4Host} and one on {@code ipv6Host} (IP literals, in either
   * order), both on {@code port}, or, for port 0, the IPv4 socket on a free port and the IPv6 one on the same number
   * (a node announces one port). {@link DhtNode#address()} is the IPv4 address; the node serves and looks up in both
   * families ({@link DualStackTransport}).
   */
  public static CompletableFuture<DhtNode> startDualStack(
      Vertx vertx, DhtConfig config, Identity identity, String ipv4Host, String ipv6Host, int port) {
    if (ipv4Host.indexOf(':') >= 0 && ipv6Host.indexOf(':') < 0) {
      return startDualStack(vertx, config, identity, ipv6Host, ipv4Host, port);
    }
    if (ipv4Host.indexOf(':') >= 0 || ipv6Host.indexOf(':') < 0) {
      throw new IllegalArgumentException("a dual-stack node binds one IPv4 and one IPv6 address, got "
          + ipv4Host + " and " + ipv6Host);
    }
    VertxScheduler scheduler = VertxScheduler.create(vertx);
    return VertxTransport.bind(vertx, scheduler, ipv4Host, port).thenCompose(v4 ->
        VertxTransport.bind(vertx, scheduler, ipv6Host, v4.localAddress().port())
            .<Transport>thenApply(v6 -> new DualStackTransport(v4, v6))
            .whenComplete((t, e) -> {
              if (e != null) {
                v4.close();
              }
            }))
        .thenApply(transport -> DhtNode.create(config, identity, transport, scheduler, new SecureRandom()));
  }
}
