package org.dialtone.node.cli;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.DhtNodes;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
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

  private final Progress progress;
  private volatile AutoCloseable held;
  private volatile boolean lanOnly;
  private java.util.Optional<org.dialtone.node.lan.LanHostService> lanHosts;

  private AgentSession(Vertx vertx, DhtNode node, NumberResolver resolver, Identity identity, Progress progress) {
    this.progress = progress;
    this.vertx = vertx;
    this.node = node;
    this.resolver = resolver;
    this.identity = identity;
  }

  /**
   * Joins through {@code seeds} within {@code timeout}, or fails with {@code BOOTSTRAP_FAILED}, speaking as
   * {@code identity} under the display name {@code name} (null: agent-&lt;first 8 hex digits&gt;).
   */
  public static AgentSession open(List<PeerAddress> seeds, Identity identity,
      org.dialtone.dht.crypto.SequenceFloor floor, String name, List<String> interests, Duration timeout,
      Progress progress) {
    return open(seeds, identity, floor, name, interests, timeout, progress, false);
  }

  /**
   * As {@link #open(List, Identity, org.dialtone.dht.crypto.SequenceFloor, String, List, Duration, Progress)}; with
   * {@code allowLanOnly}, when no bootstrap peer answers the session goes on without the DHT ({@link #lanOnly()}):
   * for {@code host} and {@code connect}, which can still find and be found on the LAN.
   */
  public static AgentSession open(List<PeerAddress> seeds, Identity identity,
      org.dialtone.dht.crypto.SequenceFloor floor, String name, List<String> interests, Duration timeout,
      Progress progress, boolean allowLanOnly) {
    String display = name != null && !name.isBlank() ? name : AgentOptions.defaultName(identity.publicKey().toHex());
    AgentProfile profile = AgentProfile.named(display).withInterests(interests.toArray(String[]::new));
    org.dialtone.node.gateway.Inputs.profile(display, interests); // bad input fails here, before any network
    boolean loopbackOnly = seeds.stream().allMatch(s -> s.inetAddress().isLoopbackAddress());
    // A socket for each family the seeds have (a dual-stack client when they have both); IPv4 when there are none.
    boolean anyIpv6 = seeds.stream().anyMatch(sd -> !sd.isIpv4());
    boolean anyIpv4 = seeds.isEmpty() || seeds.stream().anyMatch(PeerAddress::isIpv4);
    String v4 = loopbackOnly ? "127.0.0.1" : "0.0.0.0";
    String v6 = loopbackOnly ? "::1" : "::";
    String bindHost = anyIpv4 && anyIpv6 ? v4 + "," + v6 : anyIpv6 ? v6 : v4;
    Vertx vertx = Vertx.vertx();
    DhtNode node = null;
    try {
      long opTimeout = Math.max(timeout.toMillis(), 1000);
      DhtConfig config = DhtConfig.builder().clientMode(true).operationTimeoutMillis(opTimeout).build();
      try {
        node = DhtNodes.startUdp(vertx, config, identity, bindHost, 0).get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (!bindHost.contains(",")) {
          throw e;
        }
        // No IPv6 here (or that port number taken on it): IPv4 alone still reaches the IPv4 seeds.
        LOG.debug("agent.ipv4_only", "error", e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        node = DhtNodes.startUdp(vertx, config, identity, v4, 0).get(10, TimeUnit.SECONDS);
      }
      LOG.debug("agent.bound", "udp", node.address(), "seeds", seeds.size());
      boolean lanOnly = false;
      try (Progress.Step step = progress.start("joining through "
          + String.join(", ", seeds.stream().map(PeerAddress::toString).toList()))) {
        node.bootstrap(seeds).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        if (allowLanOnly) {
          lanOnly = true;
          LOG.warn("agent.lan_only", "why", "no bootstrap peer answered within " + timeout.toSeconds() + " s",
              "seeds", String.join(",", seeds.stream().map(PeerAddress::toString).toList()));
        } else {
          throw new CliError("BOOTSTRAP_FAILED", "no bootstrap peer answered within " + timeout.toSeconds() + " s ("
            + String.join(", ", seeds.stream().map(PeerAddress::toString).toList()) + ")", CliError.EXIT_FAILED);
        }
      }
      LOG.debug("agent.ready", "id", node.id().toHex().substring(0, 16));
      NumberResolver resolver = NumberResolver.create(node, identity, profile,
          org.dialtone.resolver.ResolverConfig.defaults(), floor);
      AgentSession session = new AgentSession(vertx, node, resolver, identity, progress);
      session.lanOnly = lanOnly;
      return session;
    } catch (CliError | IllegalArgumentException e) {
      closeQuietly(node, vertx);
      throw e;
    } catch (Exception e) {
      closeQuietly(node, vertx);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new CliError("START_FAILED", StructuredLog.causeChain(e), CliError.EXIT_FAILED);
    }
  }

  /** Keeps {@code resource} (the profile's publishing lock) until the session closes. */
  void holding(AutoCloseable resource) {
    this.held = resource;
  }

  /** Waits for {@code f} with the session's progress line; a failure becomes a one-line {@link CliError}. */
  public <T> T await(CompletableFuture<T> f, Duration timeout, String what) {
    try (Progress.Step step = progress.start(what)) {
      return await(f, timeout);
    }
  }

  /** Runs {@code task} on the session's event loop at {@code epochMillis} (at once if that has passed). */
  void at(long epochMillis, Runnable task) {
    vertx.setTimer(Math.max(1, epochMillis - System.currentTimeMillis()), id -> task.run());
  }

  /** Waits up to {@code timeout} for {@code f}, ignoring how it ends: for best-effort steps while stopping. */
  void awaitQuietly(CompletableFuture<?> f, Duration timeout) {
    try {
      f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // stopping anyway: what was published expires on its own
    }
  }

  /** True when no bootstrap peer answered and the session goes on for the LAN alone (no DHT). */
  public boolean lanOnly() {
    return lanOnly;
  }

  /**
   * Finding and answering for numbers' hosts on this machine's private multicast links (mDNS), started on first use
   * and closed with the session; empty without such a link.
   */
  synchronized java.util.Optional<org.dialtone.node.lan.LanHostService> lanHosts() {
    if (lanHosts == null) {
      try {
        lanHosts = org.dialtone.node.lan.LanHostService.start("0.0.0.0");
      } catch (java.io.IOException e) {
        LOG.warn("agent.lan_off", "why", e.getMessage());
        lanHosts = java.util.Optional.empty();
      }
      lanHosts.ifPresent(l -> LOG.debug("agent.lan_hosts", "links", String.join(",", l.linkNames())));
    }
    return lanHosts;
  }

  private synchronized void closeLanHosts() {
    if (lanHosts != null) {
      lanHosts.ifPresent(org.dialtone.node.lan.LanHostService::close);
    }
  }

  public NumberResolver resolver() {
    return resolver;
  }

  public Identity identity() {
    return identity;
  }

  /** The session's client-mode DHT node (for an {@code Agent} on this session). */
  public DhtNode node() {
    return node;
  }

  /** The session's Vert.x. */
  public Vertx vertx() {
    return vertx;
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
      if (ApiError.unwrap(e) instanceof CliError ce) {
        throw ce;
      }
      ApiError err = ApiError.of(e);
      throw new CliError(err.code(), err.message(), err.status() == 400 ? CliError.EXIT_USAGE : CliError.EXIT_FAILED);
    } catch (IllegalArgumentException e) {
      throw new CliError("BAD_INPUT", e.getMessage(), CliError.EXIT_USAGE);
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
    release();
  }

  private void release() {
    closeLanHosts();
    AutoCloseable h = held;
    held = null;
    if (h != null) {
      try {
        h.close();
      } catch (Exception e) {
        // the OS releases the lock when the process ends anyway
      }
    }
  }

  /**
   * Closes the node without leaving: what was published stays until it expires (the presence TTL), for
   * {@code --once}.
   */
  public void closeKeepingRecords() {
    closeQuietly(node, vertx);
    release();
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
