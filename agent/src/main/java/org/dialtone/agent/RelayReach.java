package org.dialtone.agent;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.agent.relay.RelayReservation;
import org.dialtone.resolver.number.DialNumber;

/**
 * How a hosting agent becomes reachable through relays: finds the relays the bootstrap nodes announce, asks each in
 * turn to dial back to the address it observed (reachable: publish that address), or else reserves there (publish the
 * relay's endpoint and serve the circuits it offers), and reserves again when a relay drops the reservation.
 */
final class RelayReach {
  private static final System.Logger LOG = System.getLogger(RelayReach.class.getName());

  /** Pause before reserving again at a relay that dropped the reservation (restarted, say). */
  static final long RESERVE_AGAIN_MILLIS = 5_000;

  private final AgentContext agent;
  private final NatCheck nat;

  RelayReach(AgentContext agent, NatCheck nat) {
    this.agent = agent;
    this.nat = nat;
  }

  /** The relays announced by bootstrap nodes on 744-196884-0 (service {@code relay}), as {@code ws://host:port}. */
  CompletableFuture<List<String>> relays() {
    return agent.resolver().discover(DialNumber.BOOTSTRAP).thenApply(roster -> roster.hosts().stream()
        .filter(h -> h.services().contains("relay"))
        .flatMap(h -> h.endpoints().stream())
        .filter(e -> e.startsWith("udp://"))
        .map(e -> "ws://" + e.substring("udp://".length()))
        .distinct().toList());
  }

  /**
   * Makes {@code server} reachable as {@code plan} says; completes at once without relays, fails with the last
   * relay's error when none reserved.
   */
  CompletableFuture<Void> reach(AgentServer server, HostPlan plan) {
    return reach(server, plan, 0, null);
  }

  // Tries relays in order: a dial-back that reaches us keeps us direct; otherwise the first reservation wins.
  private CompletableFuture<Void> reach(AgentServer server, HostPlan plan, int i, Throwable last) {
    if (plan.relays().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (i >= plan.relays().size()) {
      return CompletableFuture.failedFuture(last != null ? AgentContext.unwrap(last)
          : new AgentException(AgentError.RELAY_REFUSED, "no relay reserved"));
    }
    String relay = plan.relays().get(i);
    return connect(server, relay)
        .thenCompose(r -> (plan.tryDirect() ? r.dialBack(server.port()) : CompletableFuture.completedFuture(false))
            .thenCompose(reachable -> {
              if (plan.tryDirect()) {
                nat.dialedBack(reachable);
              }
              if (reachable) {
                String host = r.observed().contains(":") ? "[" + r.observed() + "]" : r.observed();
                server.reachableAt("ws://" + host + ":" + server.port());
                r.close();
                return CompletableFuture.<Void>completedFuture(null);
              }
              return r.reserve().thenRun(() -> {
                server.relayedBy(r);
                keepReserved(server, relay, r);
              });
            })
            .whenComplete((v, e) -> {
              if (e != null) {
                r.close();
              }
            }))
        .handle((v, e) -> e == null ? CompletableFuture.<Void>completedFuture(null) : reach(server, plan, i + 1, e))
        .thenCompose(f -> f);
  }

  private CompletableFuture<RelayReservation> connect(AgentServer server, String relay) {
    return RelayReservation.connect(agent.vertx(), agent.client(), relay, agent.identity(),
        agent.options().handshakeTimeout().multipliedBy(2), (ws, diallerIp) -> server.serveCircuit(ws, relay, diallerIp));
  }

  // When the relay drops the reservation, reserve there again (same relay, same key: the same published endpoint)
  // every RESERVE_AGAIN_MILLIS until it works or the server closes.
  private void keepReserved(AgentServer server, String relay, RelayReservation current) {
    current.lost().thenRun(() -> {
      if (server.closing()) {
        return;
      }
      LOG.log(Level.INFO, "reservation at {0} lost; reserving again in {1} ms", relay, RESERVE_AGAIN_MILLIS);
      agent.vertx().setTimer(RESERVE_AGAIN_MILLIS, t -> {
        if (server.closing()) {
          return;
        }
        connect(server, relay)
            .thenCompose(next -> next.reserve().handle((d, e) -> {
              if (e != null) {
                next.close();
                throw new CompletionException(e);
              }
              return next;
            }))
            .whenComplete((next, e) -> {
              if (e != null) {
                keepReserved(server, relay, current); // lost() is complete: tries again after the pause
              } else if (server.closing()) {
                next.close();
              } else {
                server.relayedBy(next);
                keepReserved(server, relay, next);
              }
            });
      });
    });
  }
}
