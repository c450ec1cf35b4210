package org.dialtone.agent.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Splices one QUIC stream with one loopback TCP socket, so that the agent's WebSocket connection (handshake, sealed
 * frames, services) runs unchanged over the punched path: the dialler's WebSocket client connects to a one-shot
 * loopback listener, the host's side connects to its own agent server. Backpressure crosses the splice (a side that
 * cannot write stops the other from reading); either side closing closes both.
 *
 * <p>Why a splice rather than the frames on the QUIC stream directly: {@code AgentConnection} is written against a
 * Vert.x WebSocket today; carrying its frames over another socket type is the next step (it costs a loopback copy and
 * the WebSocket framing, measured in docs/connections.md).
 */
public final class LoopbackBridge {
  private LoopbackBridge() {}

  /**
   * Listens on 127.0.0.1 (any port) for one connection, splices it with {@code stream}, and stops listening. Completes
   * with the port. The listener closes after {@code acceptMillis} if nobody came.
   */
  public static CompletableFuture<Integer> listenOnce(QuicStreamChannel stream, long acceptMillis) {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    AtomicBoolean taken = new AtomicBoolean();
    Channel[] server = new Channel[1];
    stream.config().setAutoRead(false); // nothing read from the stream until the socket is there
    ChannelFuture bound = new ServerBootstrap().group(stream.eventLoop()).channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel tcp) {
            if (!taken.compareAndSet(false, true)) {
              tcp.close(); // one connection only: a second local process gets nothing
              return;
            }
            server[0].close();
            splice(stream, tcp);
          }
        }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    bound.addListener(b -> {
      if (!b.isSuccess()) {
        port.completeExceptionally(b.cause());
        stream.close();
        return;
      }
      server[0] = bound.channel();
      stream.eventLoop().schedule(() -> {
        if (!taken.get()) {
          server[0].close();
          stream.close();
        }
      }, acceptMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
      port.complete(((InetSocketAddress) bound.channel().localAddress()).getPort());
    });
    return port;
  }

  /**
   * Connects to 127.0.0.1:{@code port} (the agent server) and splices it with {@code stream}. Hands the local port of
   * that TCP socket to {@code localPort} before any byte crosses (so the server can tell this connection came over a
   * punched path).
   */
  public static CompletableFuture<Integer> connect(QuicStreamChannel stream, int port,
      java.util.function.IntConsumer localPort) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    stream.config().setAutoRead(false);
    new Bootstrap().group(stream.eventLoop()).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInboundHandlerAdapter())
        .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).addListener(c -> {
          ChannelFuture cf = (ChannelFuture) c;
          if (!c.isSuccess()) {
            stream.close();
            f.completeExceptionally(c.cause());
            return;
          }
          int local = ((InetSocketAddress) cf.channel().localAddress()).getPort();
          localPort.accept(local);
          f.complete(local);
          splice(stream, cf.channel());
        });
    return f;
  }

  private static void splice(Channel a, Channel b) {
    a.pipeline().addLast(new Pipe(b));
    b.pipeline().addLast(new Pipe(a));
    a.config().setAutoRead(true);
    b.config().setAutoRead(true);
    a.read();
    b.read();
  }

  /** Writes what {@code from} reads to {@code to}; reads no more while {@code to} cannot take it. */
  private static final class Pipe extends ChannelInboundHandlerAdapter {
    private final Channel to;

    Pipe(Channel to) {
      this.to = to;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      to.writeAndFlush(msg);
      if (!to.isWritable()) {
        ctx.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      // our channel can take writes again: the other side may read again
      if (ctx.channel().isWritable()) {
        to.config().setAutoRead(true);
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      to.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
