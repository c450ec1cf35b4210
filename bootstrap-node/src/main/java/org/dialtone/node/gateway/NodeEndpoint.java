package org.dialtone.node.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;

/**
 * The node a browser agent holds its signal inbox on, as the agent names it in its signed records (an endpoint
 * {@code dialtone-node://IP:PORT/NODEKEY}, the node's DHT address and its Ed25519 key in 64 hex digits): where another
 * node forwards a signal for that agent, as a DHT SIGNAL. A literal address only (no names to resolve), and the key,
 * which the address must prove before any envelope goes there: a record that names a stranger's address makes a
 * forwarding node send it one small PING at most.
 */
record NodeEndpoint(PublicKey nodeKey, PeerAddress address) {
  static final String SCHEME = "dialtone-node";

  NodeEndpoint {
    Objects.requireNonNull(nodeKey, "nodeKey");
    Objects.requireNonNull(address, "address");
  }

  /** The endpoint as it goes into a record. */
  String toUri() {
    return SCHEME + "://" + address + "/" + nodeKey.toHex(); // PeerAddress writes 1.2.3.4:5 or [::1]:5
  }

  /** The node endpoint in {@code endpoint}, if it is one: anything else (a ws:// endpoint, a name) is not. */
  static Optional<NodeEndpoint> parse(String endpoint) {
    if (endpoint == null || !endpoint.startsWith(SCHEME + "://") || endpoint.length() > 200) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(endpoint);
      String host = uri.getHost();
      String path = uri.getPath();
      if (host == null || uri.getPort() < 1 || path == null || path.length() != 65 || uri.getQuery() != null
          || uri.getFragment() != null || uri.getUserInfo() != null) {
        return Optional.empty();
      }
      String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+") || !(literal.contains(".") || literal.contains(":"))) {
        return Optional.empty(); // a literal address, never a name to look up
      }
      PeerAddress address = PeerAddress.of(java.net.InetAddress.getByName(literal).getAddress(), uri.getPort());
      PublicKey key = PublicKey.of(HexFormat.of().parseHex(path.substring(1)));
      return Optional.of(new NodeEndpoint(key, address));
    } catch (URISyntaxException | java.net.UnknownHostException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The first node endpoint among {@code endpoints}. */
  static Optional<NodeEndpoint> first(List<String> endpoints) {
    return endpoints.stream().map(NodeEndpoint::parse).flatMap(Optional::stream).findFirst();
  }
}
