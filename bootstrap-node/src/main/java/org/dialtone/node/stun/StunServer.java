package org.dialtone.node.stun;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/** The STUN responder on a Vert.x UDP socket: one event loop, so the responder needs no locking. */
public final class StunServer implements AutoCloseable {
  private final DatagramSocket socket;
  private final StunResponder responder;

  private StunServer(DatagramSocket socket, StunResponder responder) {
    this.socket = socket;
    this.responder = responder;
  }

  /** Listens on {@code host:port} (0 picks a free port). */
  public static CompletableFuture<StunServer> start(Vertx vertx, String host, int port, StunResponder responder,
      LongSupplier nanoClock) {
    DatagramSocket socket = vertx.createDatagramSocket();
    StunServer server = new StunServer(socket, responder);
    socket.handler(packet -> {
      InetSocketAddress from = new InetSocketAddress(packet.sender().host(), packet.sender().port());
      responder.respond(packet.data().getBytes(), from, nanoClock.getAsLong())
          .ifPresent(reply -> socket.send(Buffer.buffer(reply), from.getPort(), from.getHostString()));
    });
    return socket.listen(port, host).toCompletionStage().toCompletableFuture().thenApply(s -> server);
  }

  /** The UDP port it listens on. */
  public int port() {
    return socket.localAddress().port();
  }

  /** What it answered and dropped. */
  public StunResponder responder() {
    return responder;
  }

  @Override
  public void close() {
    socket.close().toCompletionStage().toCompletableFuture().join();
  }
}
