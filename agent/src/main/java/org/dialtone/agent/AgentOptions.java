package org.dialtone.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * The agent's bounds and switches, immutable; change with the {@code with...} methods.
 *
 * @param maxConnections connections a server accepts at once (more are refused with TOO_MANY_CONNECTIONS)
 * @param maxConnectionsPerAddress connections a server accepts at once from one remote IP address, loopback included
 *     (more are refused with TOO_MANY_CONNECTIONS)
 * @param handshakeTimeout time from socket open to an accepted handshake
 * @param idleTimeout a connection that receives nothing this long is closed with TIMEOUT
 * @param gossipInterval how often a connection exchanges number digests (also once on connect)
 * @param plaintext dial without encryption (the handshake is still signed); refused unless the endpoint is loopback
 * @param allowPlaintextOnLoopback whether a server accepts plaintext from loopback clients
 * @param maxFileBytes the largest file a files service accepts
 * @param host the address a server binds and publishes
 */
public record AgentOptions(
    int maxConnections,
    int maxConnectionsPerAddress,
    Duration handshakeTimeout,
    Duration idleTimeout,
    Duration gossipInterval,
    boolean plaintext,
    boolean allowPlaintextOnLoopback,
    long maxFileBytes,
    String host) {
  /** Default connection limit. */
  public static final int DEFAULT_MAX_CONNECTIONS = 256;
  /** Default connection limit per remote IP address. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 16;
  /** Default handshake timeout. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
  /** Default idle timeout. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);
  /** Default gossip interval. */
  public static final Duration DEFAULT_GOSSIP_INTERVAL = Duration.ofSeconds(30);
  /** Default file size limit: 4 GiB. */
  public static final long DEFAULT_MAX_FILE_BYTES = 4L << 30;

  public AgentOptions {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1");
    }
    if (maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1");
    }
    if (maxFileBytes < 0) {
      throw new IllegalArgumentException("maxFileBytes must not be negative");
    }
    Objects.requireNonNull(handshakeTimeout);
    Objects.requireNonNull(idleTimeout);
    Objects.requireNonNull(gossipInterval);
    Objects.requireNonNull(host);
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero() || idleTimeout.isNegative()
        || idleTimeout.isZero() || gossipInterval.isNegative() || gossipInterval.isZero()) {
      throw new IllegalArgumentException("timeouts and intervals must be positive");
    }
  }

  /**
   * The defaults: encrypted, 256 connections (16 per remote address), 5 s handshake, 120 s idle, gossip every 30 s,
   * on 127.0.0.1.
   */
  public static AgentOptions defaults() {
    return new AgentOptions(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_HANDSHAKE_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT, DEFAULT_GOSSIP_INTERVAL, false, false, DEFAULT_MAX_FILE_BYTES, "127.0.0.1");
  }

  public AgentOptions withMaxConnections(int n) {
    return new AgentOptions(n, maxConnectionsPerAddress, handshakeTimeout, idleTimeout, gossipInterval, plaintext,
        allowPlaintextOnLoopback, maxFileBytes, host);
  }

  public AgentOptions withMaxConnectionsPerAddress(int n) {
    return new AgentOptions(maxConnections, n, handshakeTimeout, idleTimeout, gossipInterval, plaintext,
        allowPlaintextOnLoopback, maxFileBytes, host);
  }

  public AgentOptions withHandshakeTimeout(Duration d) {
    return new AgentOptions(maxConnections, maxConnectionsPerAddress, d, idleTimeout, gossipInterval, plaintext,
        allowPlaintextOnLoopback, maxFileBytes, host);
  }

  public AgentOptions withIdleTimeout(Duration d) {
    return new AgentOptions(maxConnections, maxConnectionsPerAddress, handshakeTimeout, d, gossipInterval, plaintext,
        allowPlaintextOnLoopback, maxFileBytes, host);
  }

  public AgentOptions withGossipInterval(Duration d) {
    return new AgentOptions(maxConnections, maxConnectionsPerAddress, handshakeTimeout, idleTimeout, d, plaintext,
        allowPlaintextOnLoopback, maxFileBytes, host);
  }

  /** Dial in plaintext (loopback only) and accept plaintext from loopback clients. */
  public AgentOptions withPlaintextOnLoopback(boolean on) {
    return new AgentOptions(maxConnections, maxConnectionsPerAddress, handshakeTimeout, idleTimeout, gossipInterval,
        on, on, maxFileBytes, host);
  }

  public AgentOptions withMaxFileBytes(long n) {
    return new AgentOptions(maxConnections, maxConnectionsPerAddress, handshakeTimeout, idleTimeout, gossipInterval,
        plaintext, allowPlaintextOnLoopback, n, host);
  }
}
