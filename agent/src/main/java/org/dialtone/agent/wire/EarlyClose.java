package org.dialtone.agent.wire;

import io.vertx.core.http.ClientWebSocket;

/**
 * Reads why a server closed a WebSocket that Vert.x had not finished connecting.
 *
 * <p>A server that refuses at once (a connection limit) can close in the same read as its answer to the upgrade.
 * Vert.x then fails the connect with "WebSocket is closed" and never calls the close handler, but the socket still
 * holds the close code, which says why: the dialler reports that rather than "cannot reach".
 */
public final class EarlyClose {
  private EarlyClose() {}

  /** The close code of {@code ws} if the server closed it while connecting, else null. */
  public static Short code(ClientWebSocket ws) {
    try {
      return ws.isClosed() ? ws.closeStatusCode() : null;
    } catch (IllegalStateException notConnected) {
      return null;
    }
  }
}
