package org.dialtone.node.cli;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.DhtNodes;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.IdentityFile;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.node.gateway.ApiError;
import org.dialtone.node.log.StructuredLog;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberResolver;

/**
 * What an agent command runs on: a client-mode DHT node (it asks, it answers nothing, it is never put in a routing
 * table) joined through the bootstrap peers, and a resolver speaking for the user's persistent identity.
 */
public final class AgentSession implements AutoCloseable {
  private static final StructuredLog LOG = StructuredLog.of("agent");
  private final Vertx vertx;
  private final DhtNode node;
  private final NumberResolver resolver;
  private final Identity identity;

  private AgentSession(Vertx vertx, DhtNode node, NumberResolver resolver, Identity identity) {
    this.vertx = vertx;
    this.node = node;
    this.resolver = resolver;
    this.identity = identity;
  }

  /**
   * Joins through {@code seeds} within {@code timeout}, or fails with {@code BOOTSTRAP_FAILED}. The identity is kept
   * in {@code configDir/agent.key}, created on first use.
   */
  public static AgentSession open(List<PeerAddress> seeds, Path configDir, String name, List<String> interests,
      Duration timeout) {
    Identity identity;
    try {
      identity = IdentityFile.loadOrCreate(configDir.resolve("agent.key"));
    } catch (IOException e) {
      throw new CliError("IDENTITY", "cannot load or create " + configDir.resolve("agent.key") + ": "
          + e.getMessage(), CliError.EXIT_FAILED);
    }
    String display = name != null && !name.isBlank() ? name : "agent-" + identity.publicKey().toHex().substring(0, 8);
    AgentProfile profile;
    try {
      profile = AgentProfile.named(display).withInterests(interests.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      throw new CliError("BAD_PROFILE", e.getMessage(), CliError.EXIT_USAGE);
    }
    boolean loopbackOnly = seeds.stream().allMatch(s -> s.inetAddress().isLoopbackAddress());
    Vertx vertx = Vertx.vertx();
    DhtNode node = null;
    try {
      long opTimeout = Math.max(timeout.toMillis(), 1000);
      DhtConfig config = DhtConfig.builder().clientMode(true).operationTimeoutMillis(opTimeout).build();
      node = DhtNodes.startUdp(vertx, config, identity, loopbackOnly ? "127.0.0.1" : "0.0.0.0", 0)
          .get(10, TimeUnit.SECONDS);
      LOG.debug("agent.bound", "udp", node.address(), "seeds", seeds.size());
      try {
        node.bootstrap(seeds).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        throw new CliError("BOOTSTRAP_FAILED", "no bootstrap peer answered within " + timeout.toSeconds() + " s ("
            + String.join(", ", seeds.stream().map(PeerAddress::toString).toList()) + ")", CliError.EXIT_FAILED);
      }
      LOG.debug("agent.ready", "id", node.id().toHex().substring(0, 16));
      NumberResolver resolver;
      try {
        resolver = NumberResolver.create(node, identity, profile);
      } catch (IllegalArgumentException e) {
        throw new CliError("BAD_PROFILE", e.getMessage(), CliError.EXIT_USAGE);
      }
      return new AgentSession(vertx, node, resolver, identity);
    } catch (CliError e) {
      closeQuietly(node, vertx);
      throw e;
    } catch (Exception e) {
      closeQuietly(node, vertx);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new CliError("START_FAILED", String.valueOf(e.getMessage()), CliError.EXIT_FAILED);
    }
  }

  public NumberResolver resolver() {
    return resolver;
  }

  public Identity identity() {
    return identity;
  }

  /** Waits for {@code f}; a failure becomes a one-line {@link CliError}. */
  public static <T> T await(CompletableFuture<T> f, Duration timeout) {
    try {
      return f.get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new CliError("TIMEOUT", "no answer within " + timeout.toSeconds() + " s", CliError.EXIT_FAILED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliError("INTERRUPTED", "interrupted", CliError.EXIT_FAILED);
    } catch (java.util.concurrent.ExecutionException e) {
      ApiError err = ApiError.of(e);
      throw new CliError(err.code(), err.message(), err.status() == 400 ? CliError.EXIT_USAGE : CliError.EXIT_FAILED);
    }
  }

  /** Leaves every number (signed tombstones), closes the node and Vert.x. */
  @Override
  public void close() {
    LOG.debug("agent.closing");
    try {
      resolver.closeAsync().get(3, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort: what we published expires on its own
    }
    closeQuietly(node, vertx);
  }

  /**
   * Closes the node without leaving: what was published stays until it expires (the presence TTL), for
   * {@code --once}.
   */
  public void closeKeepingRecords() {
    closeQuietly(node, vertx);
  }

  private static void closeQuietly(DhtNode node, Vertx vertx) {
    try {
      if (node != null) {
        node.closeAsync().get(3, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // closing
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(3, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing
    }
  }
}
