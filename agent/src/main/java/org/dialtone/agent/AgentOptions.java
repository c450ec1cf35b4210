package org.dialtone.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * The agent's bounds and switches, immutable and validated once when built. Defaults are the named constants;
 * {@link #defaults()} is right for an agent on the Internet, and tests override what they need through
 * {@link #builder()} (the same style as {@code DhtConfig}).
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
  /** Default address a server binds and publishes: loopback, so nothing is exposed unless asked for. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public AgentOptions {
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(gossipInterval, "gossipInterval");
    Objects.requireNonNull(host, "host");
    require(maxConnections >= 1, "maxConnections must be at least 1, got " + maxConnections);
    require(maxConnectionsPerAddress >= 1, "maxConnectionsPerAddress must be at least 1, got "
        + maxConnectionsPerAddress);
    require(maxFileBytes >= 0, "maxFileBytes must not be negative, got " + maxFileBytes);
    require(positive(handshakeTimeout) && positive(idleTimeout) && positive(gossipInterval),
        "timeouts and intervals must be positive");
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * The defaults: encrypted, 256 connections (16 per remote address), 5 s handshake, 120 s idle, gossip every 30 s,
   * on 127.0.0.1.
   */
  public static AgentOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxConnections = maxConnections;
    b.maxConnectionsPerAddress = maxConnectionsPerAddress;
    b.handshakeTimeout = handshakeTimeout;
    b.idleTimeout = idleTimeout;
    b.gossipInterval = gossipInterval;
    b.plaintext = plaintext;
    b.allowPlaintextOnLoopback = allowPlaintextOnLoopback;
    b.maxFileBytes = maxFileBytes;
    b.host = host;
    return b;
  }

  /** Builds {@link AgentOptions}; unset fields keep their defaults. */
  public static final class Builder {
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration gossipInterval = DEFAULT_GOSSIP_INTERVAL;
    private boolean plaintext;
    private boolean allowPlaintextOnLoopback;
    private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
    private String host = DEFAULT_HOST;

    private Builder() {}

    public Builder maxConnections(int n) {
      this.maxConnections = n;
      return this;
    }

    public Builder maxConnectionsPerAddress(int n) {
      this.maxConnectionsPerAddress = n;
      return this;
    }

    public Builder handshakeTimeout(Duration d) {
      this.handshakeTimeout = d;
      return this;
    }

    public Builder idleTimeout(Duration d) {
      this.idleTimeout = d;
      return this;
    }

    public Builder gossipInterval(Duration d) {
      this.gossipInterval = d;
      return this;
    }

    /** Dial in plaintext (loopback only) and accept plaintext from loopback clients. */
    public Builder plaintextOnLoopback(boolean on) {
      this.plaintext = on;
      this.allowPlaintextOnLoopback = on;
      return this;
    }

    public Builder maxFileBytes(long n) {
      this.maxFileBytes = n;
      return this;
    }

    /** The address a server binds and publishes in its HOST record. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Validates and builds. */
    public AgentOptions build() {
      return new AgentOptions(maxConnections, maxConnectionsPerAddress, handshakeTimeout, idleTimeout,
          gossipInterval, plaintext, allowPlaintextOnLoopback, maxFileBytes, host);
    }
  }
}
