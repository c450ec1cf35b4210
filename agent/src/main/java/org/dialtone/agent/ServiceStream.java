package org.dialtone.agent;

import java.util.function.Consumer;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;

/**
 * One stream of a connection, to one service. Handlers run on the connection's thread. Writing honours backpressure
 * through {@link #writeQueueFull()} and {@link AgentConnection#whenDrained}.
 */
public final class ServiceStream {
  private final AgentConnection connection;
  private final int id;
  private final String service;
  private Consumer<byte[]> dataHandler = b -> {};
  private Consumer<byte[]> endHandler = b -> {};
  private Consumer<AgentException> errorHandler;
  private AgentException earlyError; // arrived before anyone listened: handed to the first error handler set
  private boolean closed;

  ServiceStream(AgentConnection connection, int id, String service) {
    this.connection = connection;
    this.id = id;
    this.service = service;
  }

  /** The connection carrying the stream. */
  public AgentConnection connection() {
    return connection;
  }

  /** The stream id (odd: opened by the dialling side). */
  public int id() {
    return id;
  }

  /** The service name. */
  public String service() {
    return service;
  }

  /** Sends bytes (at most 64 KiB per call). */
  public void write(byte[] data) {
    connection.send(org.dialtone.agent.wire.FrameType.DATA, id, data);
  }

  /** Ends the sending side, with a service-defined trailer. */
  public void end(byte[] trailer) {
    connection.send(org.dialtone.agent.wire.FrameType.END, id, trailer);
  }

  /** Fails the stream: the peer gets an error frame; the connection stays up. */
  public void fail(AgentError code, String message) {
    connection.sendError(id, code, message);
    connection.forget(id);
  }

  /**
   * Stops reading from the connection (all its streams) until as many {@link #resume()} calls: a slow consumer's
   * backpressure, which fills the peer's send queue and so pauses the peer's writer.
   */
  public void pause() {
    connection.pauseReading();
  }

  /** Undoes one {@link #pause()}. */
  public void resume() {
    connection.resumeReading();
  }

  /** True while the connection's send queue is full: wait for {@link AgentConnection#whenDrained}. */
  public boolean writeQueueFull() {
    return connection.writeQueueFull();
  }

  public ServiceStream handler(Consumer<byte[]> h) {
    this.dataHandler = h;
    return this;
  }

  public ServiceStream endHandler(Consumer<byte[]> h) {
    this.endHandler = h;
    return this;
  }

  /**
   * Sets who hears that the stream failed. An error that arrived before a handler was set (the peer answered an
   * OPEN at once, while the opener was still being handed the stream) is handed to it now.
   */
  public ServiceStream errorHandler(Consumer<AgentException> h) {
    AgentException early;
    synchronized (this) {
      this.errorHandler = h;
      early = earlyError;
      earlyError = null;
    }
    if (early != null) {
      h.accept(early);
    }
    return this;
  }

  void onData(byte[] b) {
    dataHandler.accept(b);
  }

  void onEnd(byte[] b) {
    endHandler.accept(b);
  }

  void onError(AgentException e) {
    Consumer<AgentException> h;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      h = errorHandler;
      if (h == null) {
        earlyError = e;
        return;
      }
    }
    h.accept(e);
  }
}
