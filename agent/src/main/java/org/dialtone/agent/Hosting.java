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

  Hosting(AgentContext agent, HostRecords records, RelayReach relays) {
    this.agent = agent;
    this.records = records;
    this.relays = relays;
  }

  /** Listens, reaches, publishes; the server once its record is published. */
  CompletableFuture<AgentServer> host(DialNumber number, HostPlan plan) {
    return AgentServer.listen(agent, number, plan.port())
        .thenCompose(server -> relays.reach(server, plan)
            .handle((v, e) -> e == null ? CompletableFuture.completedFuture(server)
                : server.stopListening()
                    .<AgentServer>thenCompose(x -> CompletableFuture.failedFuture(AgentContext.unwrap(e))))
            .thenCompose(f -> f))
        .thenCompose(server -> publish(number, server));
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
