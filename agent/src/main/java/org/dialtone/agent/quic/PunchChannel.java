package org.dialtone.agent.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.codec.quic.QuicTokenHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.dialtone.agent.reach.punch.ProbeIo;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Clock;
import org.dialtone.dht.time.Scheduler;

/**
 * One UDP socket for one punch, then for QUIC on the punched path (Netty's native QUIC codec, quiche). What arrives
 * is told apart by its first bytes: STUN answers (our mapping, as a node saw this very socket), probes
 * ({@code 0x00 "DTP"} and the 16-byte session token both sides know from the signaling), and QUIC packets (QUIC's
 * fixed bit 0x40 is set, RFC 9000; a probe's and STUN's first byte have it clear). QUIC packets are taken only from
 * the punched remote, and only once it is known: a stranger's packets never reach the codec.
 *
 * <p>Only the main socket is driven ({@link ProbeIo#openSocket()} has none to give): the BIRTHDAY strategy's extra
 * sockets are not built, so a punch that needs them ends NO_SOCKETS and the connection stays relayed.
 */
public final class PunchChannel implements ProbeIo, AutoCloseable {
  /** A probe: {@code 0x00 'D' 'T' 'P'} and the 16-byte session token. */
  static final int PROBE_BYTES = 20;
  private static final byte[] PROBE_MAGIC = {0x00, 'D', 'T', 'P'};
  /** QUIC's idle timeout: longer than the agent's own (120 s), which gossip every 30 s keeps alive. */
  static final long QUIC_IDLE_SECONDS = 150;
  /** STUN transactions in flight on one socket. */
  static final int MAX_STUN_IN_FLIGHT = 8;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1,
      new DefaultThreadFactory("dialtone-punch", true), NioIoHandler.newFactory());

  /** No address validation by Retry: the demux admits QUIC from the punched peer only, which proved its address. */
  private static final QuicTokenHandler NO_RETRY = new QuicTokenHandler() {
    @Override
    public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
      return false;
    }

    @Override
    public int validateToken(ByteBuf token, InetSocketAddress address) {
      return 0;
    }

    @Override
    public int maxTokenLength() {
      return 0;
    }
  };

  private final Channel channel;
  private final Scheduler scheduler;
  private final Map<String, Pending> stun = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private volatile byte[] token = new byte[0];
  private volatile Consumer<PeerAddress> onProbe = a -> { };
  private volatile InetSocketAddress quicPeer;
  private volatile boolean quicUp;

  private record Pending(InetSocketAddress server, CompletableFuture<PeerAddress> answer) {}

  private PunchChannel(Channel channel, Clock clock) {
    this.channel = channel;
    this.scheduler = new EventLoopScheduler(channel.eventLoop(), clock);
    channel.pipeline().addFirst("demux", new Demux());
  }

  /** Binds a UDP socket on every interface, any port. */
  public static CompletableFuture<PunchChannel> open(Clock clock) {
    CompletableFuture<PunchChannel> f = new CompletableFuture<>();
    new Bootstrap().group(GROUP).channel(NioDatagramChannel.class)
        .handler(new ChannelInboundHandlerAdapter())
        .bind(new InetSocketAddress(0)).addListener(ch -> {
          if (ch.isSuccess()) {
            Channel c = ((io.netty.channel.ChannelFuture) ch).channel();
            f.complete(new PunchChannel(c, clock));
          } else {
            f.completeExceptionally(ch.cause());
          }
        });
    return f;
  }

  /** The scheduler on this socket's thread (for the puncher). */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The local port. */
  public int localPort() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Datagrams dropped: from strangers, probes with another token, stray STUN answers. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Asks a STUN server for this socket's public mapping: a Binding request, sent again every 500 ms until an answer
   * with its transaction id comes back or {@code timeoutMillis} pass.
   */
  public CompletableFuture<PeerAddress> mapping(InetSocketAddress server, long timeoutMillis) {
    if (stun.size() >= MAX_STUN_IN_FLIGHT) {
      return CompletableFuture.failedFuture(new IllegalStateException("too many STUN requests in flight"));
    }
    byte[] id = new byte[12];
    RANDOM.nextBytes(id);
    String key = HexFormat.of().formatHex(id);
    CompletableFuture<PeerAddress> f = new CompletableFuture<>();
    stun.put(key, new Pending(server, f));
    byte[] request = StunBinding.request(id);
    Runnable send = () -> channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(request), server));
    send.run();
    var resend = channel.eventLoop().scheduleAtFixedRate(send, 500, 500, TimeUnit.MILLISECONDS);
    return f.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((a, e) -> {
      resend.cancel(false);
      stun.remove(key);
    });
  }

  /** Takes probes carrying {@code sessionToken} (16 bytes) and hands their sender to {@code listener}. */
  public void expectProbes(byte[] sessionToken, Consumer<PeerAddress> listener) {
    this.token = sessionToken.clone();
    this.onProbe = listener;
  }

  @Override
  public OptionalInt openSocket() {
    return OptionalInt.empty(); // birthday sockets: not built
  }

  @Override
  public void sendProbe(int socket, PeerAddress to, boolean lowTtl) {
    byte[] p = Arrays.copyOf(PROBE_MAGIC, PROBE_BYTES);
    System.arraycopy(token, 0, p, PROBE_MAGIC.length, Math.min(16, token.length));
    channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(p), to.toSocketAddress()));
  }

  @Override
  public void closeSocket(int socket) {
    // only the main socket exists; it is closed with this channel
  }

  /**
   * Answers QUIC from the punched peer only ({@link #admitQuicFrom}): the first bidirectional stream it opens goes to
   * {@code onStream}, later ones are closed. Call before the punch ends, so that the dialler's first QUIC packet finds the codec.
   */
  public void serveQuic(Consumer<QuicStreamChannel> onStream) {
    ThrowawayCertificate cert = ThrowawayCertificate.create();
    QuicSslContext tls = QuicSslContextBuilder.forServer(cert.keys().getPrivate(), null, cert.certificate())
        .applicationProtocols("dialtone").build();
    ChannelHandler codec = new QuicServerCodecBuilder().sslContext(tls)
        .congestionControlAlgorithm(QuicCongestionControlAlgorithm.CUBIC)
        .maxIdleTimeout(QUIC_IDLE_SECONDS, TimeUnit.SECONDS).initialMaxData(16 << 20)
        .initialMaxStreamDataBidirectionalRemote(8 << 20).initialMaxStreamsBidirectional(1)
        .tokenHandler(NO_RETRY)
        .handler(new ChannelInboundHandlerAdapter())
        .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
          @Override
          protected void initChannel(QuicStreamChannel stream) {
            if (quicUp) {
              stream.close(); // one stream per punch: a second connection from the peer gets nothing
              return;
            }
            quicUp = true;
            onStream.accept(stream);
          }
        }).build();
    channel.pipeline().addLast("quic", codec);
  }

  /** Accepts QUIC packets from {@code remote} from now on (the punched peer). */
  public void admitQuicFrom(PeerAddress remote) {
    this.quicPeer = remote.toSocketAddress();
  }

  /** Connects QUIC to the punched {@code remote} and opens one bidirectional stream. */
  public CompletableFuture<QuicStreamChannel> dialQuic(PeerAddress remote) {
    admitQuicFrom(remote);
    QuicSslContext tls = QuicSslContextBuilder.forClient()
        .trustManager(InsecureTrustManagerFactory.INSTANCE) // the agent handshake proves the key, not TLS
        .applicationProtocols("dialtone").build();
    ChannelHandler codec = new QuicClientCodecBuilder().sslContext(tls)
        .congestionControlAlgorithm(QuicCongestionControlAlgorithm.CUBIC)
        .maxIdleTimeout(QUIC_IDLE_SECONDS, TimeUnit.SECONDS).initialMaxData(16 << 20)
        .initialMaxStreamDataBidirectionalLocal(8 << 20).build();
    CompletableFuture<QuicStreamChannel> f = new CompletableFuture<>();
    channel.eventLoop().execute(() -> {
      channel.pipeline().addLast("quic", codec);
      QuicChannel.newBootstrap(channel).handler(new ChannelInboundHandlerAdapter())
          .streamHandler(new ChannelInboundHandlerAdapter())
          .remoteAddress(remote.toSocketAddress()).connect().addListener(q -> {
            if (!q.isSuccess()) {
              f.completeExceptionally(q.cause());
              return;
            }
            QuicChannel quic = (QuicChannel) q.getNow();
            quic.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInboundHandlerAdapter()).addListener(s -> {
              if (s.isSuccess()) {
                quicUp = true;
                f.complete((QuicStreamChannel) s.getNow());
              } else {
                f.completeExceptionally(s.cause());
              }
            });
          });
    });
    return f;
  }

  /** True once a QUIC stream runs on this socket. */
  public boolean hasQuic() {
    return quicUp;
  }

  /** Completes when the socket closes. */
  public CompletableFuture<Void> closed() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    channel.closeFuture().addListener(x -> f.complete(null));
    return f;
  }

  @Override
  public void close() {
    channel.close();
  }

  /** Tells STUN answers, probes and QUIC apart. */
  private final class Demux extends SimpleChannelInboundHandler<DatagramPacket> {
    Demux() {
      super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
      ByteBuf c = p.content();
      if (c.readableBytes() > 0 && (c.getByte(c.readerIndex()) & 0x40) != 0) {
        if (p.sender().equals(quicPeer) && ctx.pipeline().get("quic") != null) {
          ctx.fireChannelRead(p);
        } else {
          dropped.incrementAndGet();
          p.release();
        }
        return;
      }
      try {
        byte[] d = ByteBufUtil.getBytes(c);
        if (d.length == PROBE_BYTES && Arrays.equals(d, 0, 4, PROBE_MAGIC, 0, 4)) {
          if (token.length == 16 && Arrays.equals(d, 4, 20, token, 0, 16)) {
            onProbe.accept(PeerAddress.of(p.sender()));
          } else {
            dropped.incrementAndGet();
          }
        } else if (StunBinding.looksLikeStun(d)) {
          Pending pending = stun.get(HexFormat.of().formatHex(StunBinding.transactionId(d)));
          var mapped = StunBinding.mappedAddress(d);
          if (pending != null && pending.server().equals(p.sender()) && mapped.isPresent()) {
            pending.answer().complete(mapped.get());
          } else {
            dropped.incrementAndGet();
          }
        } else {
          dropped.incrementAndGet();
        }
      } finally {
        p.release();
      }
    }
  }
}
