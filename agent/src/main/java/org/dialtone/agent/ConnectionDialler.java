package org.dialtone.agent;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.agent.relay.RelayServer;
import org.dialtone.agent.secure.ClientHandshake;
import org.dialtone.agent.wire.EarlyClose;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.time.Scheduler;
import org.dialtone.resolver.record.AgentInfo;

/**
 * The dialling side of an agent: opens a WebSocket to an endpoint ({@code ws://host:port/}, or a relay's
 * {@code ws://relay/relay/<key>}), drives the client handshake until the endpoint has proved the expected key, and
 * hands the new {@link AgentConnection} to the agent's {@link OpenConnections}. Plaintext only on loopback; the
 * handshake has a deadline.
 */
final class ConnectionDialler {
  private static final System.Logger LOG = System.getLogger(ConnectionDialler.class.getName());

  private final AgentContext agent;

  ConnectionDialler(AgentContext agent) {
    this.agent = agent;
  }

  /** Connects to {@code key}: REQUEST finds its endpoints, and the endpoint must prove the key. */
  CompletableFuture<AgentConnection> dial(PublicKey key) {
    return agent.resolver().request(key).handle((info, e) -> {
      if (e != null) {
        throw new AgentException(AgentError.NOT_FOUND, "agent " + key.toHex() + " not found", AgentContext.unwrap(e));
      }
      return info;
    }).thenCompose(info -> dial(info, key));
  }

  /** Connects to the first {@code ws://} endpoint of {@code info}, which must prove {@code expected}. */
  CompletableFuture<AgentConnection> dial(AgentInfo info, PublicKey expected) {
    Optional<String> endpoint = info.endpoints().stream().filter(x -> x.startsWith("ws://")).findFirst();
    if (endpoint.isEmpty()) {
      return CompletableFuture.failedFuture(
          new AgentException(AgentError.NOT_FOUND, info.name() + " has no ws:// endpoint"));
    }
    return dial(endpoint.get(), expected);
  }

  /** Connects to {@code endpoint} and requires it to prove {@code expected}. */
  CompletableFuture<AgentConnection> dial(String endpoint, PublicKey expected) {
    return dial(endpoint, expected, null);
  }

  /** As {@link #dial(String, PublicKey)}, the connection saying {@code knownPath} (null: from the endpoint). */
  CompletableFuture<AgentConnection> dial(String endpoint, PublicKey expected, ConnectionPath knownPath) {
    AgentOptions options = agent.options();
    CompletableFuture<AgentConnection> f = new CompletableFuture<>();
    URI uri;
    try {
      uri = URI.create(endpoint);
      if (!"ws".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException("not ws://host:port");
      }
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new AgentException(AgentError.NOT_FOUND, "bad endpoint " + endpoint));
    }
    if (options.plaintext() && !isLoopback(uri.getHost())) {
      return CompletableFuture.failedFuture(
          new AgentException(AgentError.PLAINTEXT_REFUSED, "plaintext only on loopback, not " + uri.getHost()));
    }
    ClientHandshake hs = new ClientHandshake(agent.identity(), expected, options.plaintext());
    ConnectionPath path = knownPath != null ? knownPath : ConnectionPath.ofEndpoint(uri);
    Context ctx = agent.vertx().getOrCreateContext();
    ctx.runOnContext(v -> {
      // handlers go on before connecting: a server that refuses at once may close the socket before a connect
      // callback could run, and Vert.x refuses handlers on a closed socket
      ClientWebSocket ws = agent.client().webSocket();
      // what the relay's upgrade answer says it sees the host at (empty for a direct dial): read when it arrives
      String[] observedHost = {""};
      handshake(ctx, ws, hs, path, f, observedHost);
      ws.connect(new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort())
          .setURI(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
          .setTimeout(options.handshakeTimeout().toMillis())).onComplete(ar -> {
            Short refusal = ar.failed() ? EarlyClose.code(ws) : null;
            if (refusal != null) {
              f.completeExceptionally(new AgentException(AgentError.ofCloseCode(refusal),
                  "server refused: " + ws.closeReason()));
            } else if (ar.failed()) {
              f.completeExceptionally(new AgentException(AgentError.CLOSED, "cannot reach " + endpoint, ar.cause()));
            } else if (!ws.isClosed()) {
              if (path == ConnectionPath.RELAYED) {
                String seen = ws.headers() == null ? null : ws.headers().get(RelayServer.OBSERVED_HOST_HEADER);
                observedHost[0] = seen == null ? "" : seen;
              }
              ws.writeBinaryMessage(Buffer.buffer(hs.hello()));
            }
          });
    });
    return f.orTimeout(options.handshakeTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)
        .handle((c, e) -> {
          if (e != null) {
            Throwable cause = AgentContext.unwrap(e);
            throw cause instanceof AgentException a ? a
                : new AgentException(AgentError.TIMEOUT, "handshake with " + endpoint + " timed out", cause);
          }
          return c;
        });
  }

  private void handshake(Context ctx, ClientWebSocket ws, ClientHandshake hs, ConnectionPath path,
      CompletableFuture<AgentConnection> f, String[] observedHost) {
    Scheduler scheduler = agent.connectionScheduler(ctx);
    Cancellable timer = scheduler.schedule(agent.options().handshakeTimeout().toMillis(), () -> {
      f.completeExceptionally(new AgentException(AgentError.TIMEOUT, "server did not answer the handshake"));
      try {
        ws.close(AgentError.TIMEOUT.closeCode(), "handshake timeout");
      } catch (IllegalStateException e) {
        // the socket is no longer connected (Vert.x: "Not connected"): nothing to close, the dial has failed above
      }
    });
    ws.closeHandler(v -> {
      timer.cancel();
      f.completeExceptionally(new AgentException(AgentError.ofCloseCode(ws.closeStatusCode()),
          "server refused: " + ws.closeReason()));
    });
    ws.binaryMessageHandler(buf -> {
      timer.cancel();
      try {
        ClientHandshake.Result r = hs.onServerHello(buf.getBytes());
        ws.writeBinaryMessage(Buffer.buffer(r.clientAuth()));
        AgentConnection c = new AgentConnection(agent.vertx(), ctx, scheduler, agent.clock(), ws, r.keys(), true,
            path, agent.services(), agent.known(), agent.options(), observedHost[0]);
        agent.open().opened(c);
        c.start();
        c.ready().whenComplete((ok, e) -> {
          if (e != null) {
            f.completeExceptionally(e);
          } else {
            f.complete(c);
          }
        });
      } catch (AgentException e) {
        LOG.log(Level.WARNING, "refusing {0}: {1}", ws.remoteAddress(), e.getMessage());
        ws.close(e.code().closeCode(), e.code().name());
        f.completeExceptionally(e);
      } catch (RuntimeException e) {
        ws.close(AgentError.BAD_HANDSHAKE.closeCode(), "bad handshake");
        f.completeExceptionally(new AgentException(AgentError.BAD_HANDSHAKE, e.getMessage(), e));
      }
    });
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
  }
}
