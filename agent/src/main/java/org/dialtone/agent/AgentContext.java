package org.dialtone.agent;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.dialtone.agent.gossip.KnownNumbers;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.time.Clock;
import org.dialtone.dht.time.Scheduler;
import org.dialtone.dht.time.VertxScheduler;
import org.dialtone.resolver.NumberResolver;

/**
 * What the parts of one agent share: its Vert.x, node, identity, resolver, services, options, the numbers it knows,
 * its clock, its WebSocket client, its open connections and servers, and its punching. The parts ({@link Hosting},
 * {@link RelayReach}, {@link HostChoice}, {@link ConnectionDialler}, {@link AgentServer}) depend on this, never on
 * {@link Agent}, which only wires them together.
 */
record AgentContext(Vertx vertx, DhtNode node, Identity identity, NumberResolver resolver,
    Map<String, Service> services, AgentOptions options, KnownNumbers known, Clock clock, WebSocketClient client,
    OpenConnections open, Punching punching) {

  /**
   * The services a HOST record names: every one served except the agent's own ({@code dialtone.*}, such as the punch
   * service every connection offers), which are never announced.
   */
  java.util.List<String> announcedServices() {
    return services.keySet().stream().filter(name -> !name.startsWith("dialtone.")).sorted().toList();
  }

  /** The agent's key. */
  PublicKey key() {
    return identity.publicKey();
  }

  /**
   * The scheduler a connection's timers run on: its own Vert.x context, so that they fire on the connection's
   * thread. The only place the agent reaches Vert.x timers, through the DHT's adapter.
   */
  Scheduler connectionScheduler(Context ctx) {
    return ctx.isEventLoopContext() ? new VertxScheduler(vertx, ctx) : VertxScheduler.create(vertx);
  }

  /** Learns a signed HOST or SHARES record told by {@code from}. */
  void learn(SignedRecord record, PublicKey from) {
    synchronized (known) {
      known.learn(record, from, clock.epochMillis());
    }
  }

  /** The cause a future failed with, without the {@link CompletionException} wrapper. */
  static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }
}
