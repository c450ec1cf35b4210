package org.dialtone.agent;

/** How a connection's bytes travel between the two agents. Either way the handshake and frames are end to end. */
public enum ConnectionPath {
  /** Straight between the two agents' sockets. */
  DIRECT,
  /** Through a relay's circuit ({@code ws://relay/relay/<host key>}): it forwards sealed bytes it cannot read. */
  RELAYED,
  /**
   * Over QUIC on a UDP path that both agents punched through their NATs, after meeting through a relay
   * ({@link Agent#punch}): the relay then carries nothing.
   */
  PUNCHED;

  /** The path an endpoint promises: RELAYED for a relay's circuit ({@code /relay/<key>}), else DIRECT. */
  static ConnectionPath ofEndpoint(java.net.URI endpoint) {
    String path = endpoint.getRawPath();
    return path != null && path.startsWith("/relay/") ? RELAYED : DIRECT;
  }
}
