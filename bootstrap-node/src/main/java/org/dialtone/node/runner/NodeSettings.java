package org.dialtone.node.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.dialtone.agent.reach.relay.RelayLimits;
import org.dialtone.dht.net.PeerAddress;

/**
 * Everything a long-running node is started with (from flags, environment and config file; see {@code dialtone node
 * --help}).
 *
 * @param host the address to bind UDP and HTTP to; two, one per family, separated by a comma ({@code
 *     10.0.0.1,fd00::1}) for a dual-stack node: UDP binds both, HTTP, the relay, STUN and LAN discovery the first
 * @param port the UDP port
 * @param httpPort the gateway's port (0 picks a free one; -1 disables the gateway)
 * @param dataDir identity, contacts and records
 * @param bootstrap seeds to join through (empty: the first node of a network, unless saved contacts exist)
 * @param advertise the UDP address announced on 744-196884-0 (defaults to host:port)
 * @param flushInterval how often contacts and records are written when they changed
 * @param lan whether to find and be found by nodes on the LAN (mDNS; only on the links of {@code host}, and only
 *     private ones: none for a loopback address)
 * @param relay the relay's limits (on TCP at the UDP port's number); {@code enabled() == false}: no relay
 */
public record NodeSettings(
    String host,
    int port,
    int httpPort,
    Path dataDir,
    List<PeerAddress> bootstrap,
    Optional<PeerAddress> advertise,
    Duration flushInterval,
    boolean lan,
    RelayLimits relay) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7440;
  public static final int DEFAULT_HTTP_PORT = 8440;
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(5);

  /** Settings without LAN discovery, with the relay on at {@link RelayLimits#defaults()}. */
  public NodeSettings(String host, int port, int httpPort, Path dataDir, List<PeerAddress> bootstrap,
      Optional<PeerAddress> advertise, Duration flushInterval) {
    this(host, port, httpPort, dataDir, bootstrap, advertise, flushInterval, false, RelayLimits.defaults());
  }

  public NodeSettings {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    bootstrap = List.copyOf(bootstrap);
    Objects.requireNonNull(advertise, "advertise");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port " + port + " is not a port (0..65535)");
    }
    if (httpPort < -1 || httpPort > 65535) {
      throw new IllegalArgumentException("--http-port " + httpPort + " is not a port (0..65535, or -1 for none)");
    }
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("the flush interval must be positive");
    }
    String[] hosts = host.split(",", -1);
    if (hosts.length > 2 || hosts.length == 2
        && (hosts[0].strip().contains(":") == hosts[1].strip().contains(":"))) {
      throw new IllegalArgumentException("--host " + host + ": one address, or two of different families "
          + "(IPv4,IPv6) for a dual-stack node");
    }
  }

  /** The first address of {@link #host()}: what HTTP, the relay, STUN and LAN discovery bind to. */
  public String firstHost() {
    int comma = host.indexOf(',');
    return comma < 0 ? host : host.substring(0, comma).strip();
  }
}
