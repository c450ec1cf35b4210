package org.dialtone.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An agent's open connections (dialled and accepted) and running servers, and who hears of each new connection.
 * Each connection leaves the list when it closes, each server when it stops.
 */
final class OpenConnections {
  private final List<AgentServer> servers = new CopyOnWriteArrayList<>();
  private final List<AgentConnection> connections = new CopyOnWriteArrayList<>();
  private volatile Consumer<AgentConnection> onConnection = c -> {};
  private final List<Consumer<AgentConnection>> answeredListeners = new CopyOnWriteArrayList<>();

  /** Who hears each new connection, dialled or accepted, before any of its frames are handled. */
  void onConnection(Consumer<AgentConnection> listener) {
    this.onConnection = listener;
  }

  /** Adds {@code c} (until it closes) and tells the listener. */
  void opened(AgentConnection c) {
    connections.add(c);
    c.closed().thenRun(() -> connections.remove(c));
    onConnection.accept(c);
    if (!c.dialler()) {
      answeredListeners.forEach(l -> l.accept(c));
    }
  }

  /** Also tells {@code listener} of each connection answered (not dialled); the returned action stops that. */
  Runnable onAnswered(Consumer<AgentConnection> listener) {
    answeredListeners.add(listener);
    return () -> answeredListeners.remove(listener);
  }

  void serverStarted(AgentServer s) {
    servers.add(s);
  }

  void serverStopped(AgentServer s) {
    servers.remove(s);
  }

  /** The port of one of the agent's servers (they all serve the same services), or -1 with none. */
  int serverPort() {
    return servers.isEmpty() ? -1 : servers.get(0).port();
  }

  /** Open connections now. */
  List<AgentConnection> connections() {
    return List.copyOf(connections);
  }

  /** Stops every server (publishing LEFT on its number) and closes every connection. */
  CompletableFuture<Void> closeAll() {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (AgentServer s : servers) {
      all.add(s.closeAsync());
    }
    for (AgentConnection c : connections) {
      all.add(c.close());
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
  }
}
