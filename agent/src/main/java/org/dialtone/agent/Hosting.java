package org.dialtone.agent;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.dialtone.resolver.number.DialNumber;

/**
 * Hosting a number: listen ({@link AgentServer}), become reachable ({@link RelayReach}), then publish the HOST record
 * with the endpoint and the service names and learn it for gossip. Each step that fails undoes the ones before it: the
 * server stops listening, and a record already published is followed by LEFT.
 */
final class Hosting {
  private final AgentContext agent;
  private final HostRecords records;
  private final RelayReach relays;
  private volatile Optional<LanHosts> lan = Optional.empty();

  Hosting(AgentContext agent, HostRecords records, RelayReach relays) {
    this.agent = agent;
    this.records = records;
    this.relays = relays;
  }

  /** Also answers for hosted numbers on the LAN. */
  void useLan(LanHosts hosts) {
    this.lan = Optional.of(hosts);
  }

  /**
   * Listens, reaches, publishes; the server once its record is published. With a LAN, it answers there for the
   * number from the moment it listens (at its listening port, which LAN neighbours reach even behind a NAT).
   */
  CompletableFuture<AgentServer> host(DialNumber number, HostPlan plan) {
    return AgentServer.listen(agent, number, plan.port())
        .thenApply(this::advertiseOnLan)
        .thenCompose(server -> relays.reach(server, plan)
            .handle((v, e) -> e == null ? CompletableFuture.completedFuture(server)
                : server.stopListening()
                    .<AgentServer>thenCompose(x -> CompletableFuture.failedFuture(AgentContext.unwrap(e))))
            .thenCompose(f -> f))
        .thenCompose(server -> publish(number, server));
  }

  /**
   * Listens and answers for {@code number} on the LAN only, publishing nothing in the DHT: for a LAN with no node,
   * or no internet. Fails with NOT_FOUND when this agent has no LAN ({@link Agent#useLan}).
   */
  CompletableFuture<AgentServer> hostOnLan(DialNumber number, int port) {
    if (lan.isEmpty()) {
      return CompletableFuture.failedFuture(new org.dialtone.agent.error.AgentException(
          org.dialtone.agent.error.AgentError.NOT_FOUND, "no LAN to host " + number + " on"));
    }
    return AgentServer.listen(agent, number, port).thenApply(server -> {
      advertiseOnLan(server);
      agent.open().serverStarted(server);
      return server;
    });
  }

  private AgentServer advertiseOnLan(AgentServer server) {
    lan.ifPresent(l -> server.advertisedOnLan(l.advertise(server.number(), agent.key(), server.port())));
    return server;
  }

  private CompletableFuture<AgentServer> publish(DialNumber number, AgentServer server) {
    return agent.resolver().host(number, agent.announcedServices(), server.endpoint())
        .handle((v, e) -> e == null ? CompletableFuture.<Void>completedFuture(null)
            : server.stopListening().<Void>thenCompose(x -> CompletableFuture.failedFuture(AgentContext.unwrap(e))))
        .thenCompose(f -> f)
        .thenCompose(v -> records.first(number, Optional.of(agent.key()))
            .handle((found, e) -> e == null ? CompletableFuture.completedFuture(found)
                : server.closeAsync().<Optional<HostRecords.Hosted>>thenCompose(
                    x -> CompletableFuture.failedFuture(AgentContext.unwrap(e))))
            .thenCompose(f -> f))
        .thenApply(found -> {
          found.ifPresent(h -> agent.learn(h.record(), agent.key()));
          agent.open().serverStarted(server);
          return server;
        });
  }
}
