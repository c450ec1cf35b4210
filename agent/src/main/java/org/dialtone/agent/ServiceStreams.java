package org.dialtone.agent;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.agent.wire.Frame;
import org.dialtone.agent.wire.FrameType;

/**
 * A connection's streams: ids (odd from the dialler, even from the listener, 0 for the connection itself), the
 * peer's OPEN handed to our service of that name, our own opens, and at most {@link #MAX_STREAMS} open
 * at once each way. A bad stream id closes the connection; an unknown service or too many streams fails only that
 * stream. Runs on the connection's context.
 */
final class ServiceStreams {
  private static final System.Logger LOG = System.getLogger(ServiceStreams.class.getName());
  /** Streams open at once per connection, each way. */
  static final int MAX_STREAMS = 64;

  private final FrameSocket socket;
  private final boolean dialler;
  private final Map<String, Service> services;
  private final BiFunction<Integer, String, ServiceStream> newStream;
  private final String label;
  private final Map<Integer, ServiceStream> streams = new HashMap<>();
  private int nextStream;

  /** {@code newStream} makes the stream object for an id and service name; {@code label} names the connection. */
  ServiceStreams(FrameSocket socket, boolean dialler, Map<String, Service> services,
      BiFunction<Integer, String, ServiceStream> newStream, String label) {
    this.socket = socket;
    this.dialler = dialler;
    this.services = services;
    this.newStream = newStream;
    this.label = label;
    this.nextStream = dialler ? 1 : 2;
  }

  /** The open stream a frame is for; empty for one already failed or finished (the peer may not have heard yet). */
  Optional<ServiceStream> of(Frame f) {
    return Optional.ofNullable(streams.get(f.stream()));
  }

  /** Removes and returns stream {@code id}. */
  Optional<ServiceStream> remove(int id) {
    return Optional.ofNullable(streams.remove(id));
  }

  /** The peer's OPEN: our service of that name gets the stream. */
  void onOpen(Frame f) {
    boolean theirs = (f.stream() % 2 == 1) == !dialler;
    if (!theirs || f.stream() == 0 || streams.containsKey(f.stream())) {
      throw new AgentException(AgentError.MALFORMED_FRAME, "bad stream id " + f.stream());
    }
    String name = f.text();
    Service service = services.get(name);
    if (service == null) {
      LOG.log(Level.INFO, "{0}: peer asked for unknown service {1}", label, name);
      socket.sendError(f.stream(), AgentError.UNKNOWN_SERVICE, "no service '" + FrameSocket.truncate(name)
          + "' here");
      return;
    }
    if (streams.size() >= MAX_STREAMS) {
      socket.sendError(f.stream(), AgentError.TOO_MANY_CONNECTIONS, "too many streams");
      return;
    }
    ServiceStream s = newStream.apply(f.stream(), name);
    streams.put(f.stream(), s);
    service.open(s);
  }

  /** Opens a stream to the peer's service {@code name} (on the connection's context). */
  ServiceStream open(String name) {
    if (socket.isClosed()) {
      throw new AgentException(AgentError.CLOSED, "connection closed");
    }
    int id = nextStream;
    nextStream += 2;
    ServiceStream s = newStream.apply(id, name);
    streams.put(id, s);
    socket.send(FrameType.OPEN, id, name.getBytes(StandardCharsets.UTF_8));
    return s;
  }

  /** Fails every open stream with {@code e} (the connection closed). */
  void failAll(AgentException e) {
    for (ServiceStream s : List.copyOf(streams.values())) {
      s.onError(e);
    }
    streams.clear();
  }
}
