package org.dialtone.node.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.dialtone.dht.net.PeerAddress;

/**
 * {@code --bootstrap} values: IP literals, {@code localhost}, or host names (resolved here, at the edge; the DHT
 * itself only takes addresses). A name with several addresses gives one peer each.
 */
final class HostPorts {
  private HostPorts() {}

  /** Name resolution, injectable so tests need no DNS. */
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  static List<PeerAddress> parse(String option, List<String> values) {
    return parse(option, values, InetAddress::getAllByName);
  }

  static List<PeerAddress> parse(String option, List<String> values, Resolver resolver) {
    List<PeerAddress> out = new ArrayList<>();
    for (String raw : values) {
      String s = raw.strip();
      if (s.isEmpty()) {
        continue;
      }
      try {
        out.add(PeerAddress.parse(s));
        continue;
      } catch (IllegalArgumentException literalFailed) {
        // maybe a host name: resolve it below
      }
      int colon = s.lastIndexOf(':');
      int port;
      try {
        port = colon > 0 ? Integer.parseInt(s.substring(colon + 1)) : -1;
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 0 || port > 65535 || s.startsWith("[")) {
        throw new CliError("BAD_BOOTSTRAP", option + " '" + s + "' is not host:port (e.g. 127.0.0.1:7440 or "
            + "boot.example.org:7440)", CliError.EXIT_USAGE);
      }
      String host = s.substring(0, colon);
      try {
        for (InetAddress a : resolver.resolve(host)) {
          out.add(PeerAddress.of(a, port));
        }
      } catch (UnknownHostException e) {
        throw new CliError("BAD_BOOTSTRAP", option + " '" + s + "': host name '" + host + "' does not resolve",
            CliError.EXIT_USAGE);
      }
    }
    return out;
  }
}
