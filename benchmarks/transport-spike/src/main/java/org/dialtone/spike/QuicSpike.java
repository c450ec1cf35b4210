package org.dialtone.spike;

import com.sun.management.OperatingSystemMXBean;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.FileInputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;

/**
 * Spike: Netty's native QUIC (quiche) on two datagram sockets that first exchanged raw hole-punch probes (first byte
 * 0x00: QUIC's fixed bit 0x40 clear, so a filter in front of the codec tells them apart), then the QUIC codecs added
 * to those same sockets, and 200 MiB over one stream. Prints the time to connect (handshake done), the throughput and
 * the process's CPU time (both ends). Properties: runs (5), cc (CUBIC, RENO or BBR), rcvbuf (socket buffers),
 * keystore (a PKCS12 file with password "spikepass", made by run.sh).
 */
public final class QuicSpike {
  static final long TOTAL = 200L << 20;
  static final int CHUNK = 64 * 1024;
  static final char[] PASSWORD = "spikepass".toCharArray();

  private QuicSpike() {}

  public static void main(String[] args) throws Exception {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    int runs = Integer.getInteger("runs", 5);
    int buffers = Integer.getInteger("rcvbuf", 212_992);
    QuicCongestionControlAlgorithm cc = QuicCongestionControlAlgorithm.valueOf(System.getProperty("cc", "CUBIC"));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = new FileInputStream(System.getProperty("keystore", "target/spike.p12"))) {
      ks.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    QuicSslContext serverTls = QuicSslContextBuilder.forServer(kmf, new String(PASSWORD))
        .applicationProtocols("dialtone").build();
    // The certificate proves nothing here: the agent's Ed25519 handshake on the first stream proves the key.
    QuicSslContext clientTls = QuicSslContextBuilder.forClient()
        .trustManager(InsecureTrustManagerFactory.INSTANCE).applicationProtocols("dialtone").build();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try {
      for (int run = 0; run < runs; run++) {
        runOnce(run, group, serverTls, clientTls, cc, buffers, os);
      }
    } finally {
      group.shutdownGracefully().sync();
    }
  }

  private static void runOnce(int run, EventLoopGroup group, QuicSslContext serverTls, QuicSslContext clientTls,
      QuicCongestionControlAlgorithm cc, int buffers, OperatingSystemMXBean os) throws Exception {
    AtomicLong received = new AtomicLong();
    CompletableFuture<Void> allReceived = new CompletableFuture<>();
    CompletableFuture<InetSocketAddress> probeAtServer = new CompletableFuture<>();
    CompletableFuture<InetSocketAddress> probeAtClient = new CompletableFuture<>();
    // 1. Two plain datagram sockets, as a hole punch leaves them.
    Channel serverSock = socket(group, buffers, probeAtServer);
    Channel clientSock = socket(group, buffers, probeAtClient);
    InetSocketAddress serverAddr = (InetSocketAddress) serverSock.localAddress();
    InetSocketAddress clientAddr = (InetSocketAddress) clientSock.localAddress();
    // 2. A probe each way from those sockets.
    clientSock.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {0, 'P'}), serverAddr)).sync();
    serverSock.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {0, 'P'}), clientAddr)).sync();
    if (!probeAtServer.get(5, TimeUnit.SECONDS).equals(clientAddr)
        || !probeAtClient.get(5, TimeUnit.SECONDS).equals(serverAddr)) {
      throw new IllegalStateException("a probe came from elsewhere");
    }
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    // 3. The QUIC codecs, added to the same sockets.
    ChannelHandler serverCodec = new QuicServerCodecBuilder().sslContext(serverTls).congestionControlAlgorithm(cc)
        .maxIdleTimeout(30, TimeUnit.SECONDS).initialMaxData(16 << 20)
        .initialMaxStreamDataBidirectionalRemote(8 << 20).initialMaxStreamsBidirectional(64)
        .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
        .handler(new ChannelInboundHandlerAdapter())
        .streamHandler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            long r = received.addAndGet(b.readableBytes());
            b.release();
            if (r >= TOTAL) {
              allReceived.complete(null);
            }
          }
        }).build();
    serverSock.pipeline().addLast(serverCodec);
    ChannelHandler clientCodec = new QuicClientCodecBuilder().sslContext(clientTls).congestionControlAlgorithm(cc)
        .maxIdleTimeout(30, TimeUnit.SECONDS).initialMaxData(16 << 20)
        .initialMaxStreamDataBidirectionalLocal(8 << 20).build();
    clientSock.pipeline().addLast(clientCodec);
    QuicChannel quic = QuicChannel.newBootstrap(clientSock).handler(new ChannelInboundHandlerAdapter())
        .remoteAddress(serverAddr).connect().get(10, TimeUnit.SECONDS);
    long connectNanos = System.nanoTime() - t0;
    long cpu1 = os.getProcessCpuTime();
    long t1 = System.nanoTime();
    QuicStreamChannel stream = quic.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInboundHandlerAdapter())
        .get(5, TimeUnit.SECONDS);
    byte[] chunk = new byte[CHUNK];
    ThreadLocalRandom.current().nextBytes(chunk);
    Writer writer = new Writer(stream, chunk);
    stream.pipeline().addLast(writer);
    stream.eventLoop().execute(writer::pump);
    allReceived.get(300, TimeUnit.SECONDS);
    long xferNanos = System.nanoTime() - t1;
    long cpuNanos = os.getProcessCpuTime() - cpu1;
    System.out.printf("quic(%s) run %d: connect %.1f ms (connect cpu %.0f ms), 200 MiB in %.2f s = %.1f MiB/s,"
        + " cpu %.2f s (%.0f%% of one core)%n", cc, run, connectNanos / 1e6, (cpu1 - cpu0) / 1e6, xferNanos / 1e9,
        TOTAL / 1048576.0 / (xferNanos / 1e9), cpuNanos / 1e9, 100.0 * cpuNanos / xferNanos);
    quic.close().sync();
    clientSock.close().sync();
    serverSock.close().sync();
  }

  private static Channel socket(EventLoopGroup group, int buffers, CompletableFuture<InetSocketAddress> probes)
      throws InterruptedException {
    return new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, buffers).option(ChannelOption.SO_SNDBUF, buffers)
        .handler(new ProbeFilter(probes)).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  /** Writes TOTAL bytes, pausing while the stream is not writable (QUIC flow control pushes back). */
  static final class Writer extends ChannelInboundHandlerAdapter {
    private final QuicStreamChannel stream;
    private final byte[] chunk;
    private long sent;

    Writer(QuicStreamChannel stream, byte[] chunk) {
      this.stream = stream;
      this.chunk = chunk;
    }

    void pump() {
      while (sent < TOTAL && stream.isWritable()) {
        stream.write(Unpooled.wrappedBuffer(chunk));
        sent += chunk.length;
      }
      stream.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (stream.isWritable()) {
        pump();
      }
      ctx.fireChannelWritabilityChanged();
    }
  }

  /** Takes hole-punch probes (fixed bit clear); passes everything else on to the QUIC codec once it is added. */
  static final class ProbeFilter extends SimpleChannelInboundHandler<DatagramPacket> {
    private final CompletableFuture<InetSocketAddress> seen;

    ProbeFilter(CompletableFuture<InetSocketAddress> seen) {
      super(false);
      this.seen = seen;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
      ByteBuf c = p.content();
      if (c.readableBytes() > 0 && (c.getByte(c.readerIndex()) & 0x40) == 0) {
        seen.complete(p.sender());
        p.release();
      } else {
        ctx.fireChannelRead(p);
      }
    }
  }
}
