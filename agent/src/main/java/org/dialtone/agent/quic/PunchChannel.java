package org.dialtone.agent.quic;

import static org.dialtone.agent.reach.punch.HolePuncher.MAIN_SOCKET;

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
 * <p>The BIRTHDAY strategy's extra sockets ({@link ProbeIo#openSocket()}) are more datagram channels on the same
 * event loop, each with its own demux: they take probes and nothing else. When the punch ends on one of them,
 * {@link #settle} makes it this channel's socket (the main one is closed) and QUIC runs there; the puncher has closed
 * the others.
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

  private final Channel main;
  /** The socket QUIC runs on: the main one, or the birthday socket that punched ({@link #settle}). */
  private volatile Channel channel;
  /** Birthday sockets by id (event loop only). */
  private final Map<Integer, Channel> extra = new java.util.HashMap<>();
  private int nextSocket = 1;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile Consumer<QuicStreamChannel> quicServer;
  private final Scheduler scheduler;
  private final Map<String, Pending> stun = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private volatile byte[] token = new byte[0];
  private volatile ProbeListener onProbe = (socket, from) -> { };
  private volatile InetSocketAddress quicPeer;
  private volatile boolean quicUp;

  private record Pending(InetSocketAddress server, CompletableFuture<PeerAddress> answer) {}

  /** Who gets the probes that carry the session's token: the socket they came in on, and their sender. */
  @FunctionalInterface
  public interface ProbeListener {
    /** A probe with our token came to {@code socket} from {@code from}. */
    void onProbe(int socket, PeerAddress from);
  }

  private PunchChannel(Channel channel, Clock clock) {
    this.main = channel;
    this.channel = channel;
    this.scheduler = new EventLoopScheduler(channel.eventLoop(), clock);
    channel.pipeline().addFirst("demux", new Demux(MAIN_SOCKET));
    watch(channel);
  }

  /** When the socket QUIC runs on closes, this punch channel is closed. */
  private void watch(Channel c) {
    c.closeFuture().addListener(x -> {
      if (c == channel) {
        close();
      }
    });
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
    Runnable send = () -> main.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(request), server));
    send.run();
    var resend = main.eventLoop().scheduleAtFixedRate(send, 500, 500, TimeUnit.MILLISECONDS);
    return f.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((a, e) -> {
      resend.cancel(false);
      stun.remove(key);
    });
  }

  /**
   * Takes probes carrying {@code sessionToken} (16 bytes), on the main socket and every birthday socket, and hands
   * the socket and sender to {@code listener}.
   */
  public void expectProbes(byte[] sessionToken, ProbeListener listener) {
    this.token = sessionToken.clone();
    this.onProbe = listener;
  }

  /**
   * Binds one more UDP socket (a birthday socket) on this channel's event loop; call on that loop (the puncher's
   * scheduler). Empty when none can be bound (descriptor limit) or this channel is closed.
   */
  @Override
  public OptionalInt openSocket() {
    if (closed.isDone()) {
      return OptionalInt.empty();
    }
    java.nio.channels.DatagramChannel socket = null;
    try {
      // bound before it is registered, so it is active at once and the puncher can probe from it in this tick
      socket = java.nio.channels.DatagramChannel.open();
      socket.bind(new InetSocketAddress(0));
      NioDatagramChannel c = new NioDatagramChannel(socket);
      int id = nextSocket++;
      c.pipeline().addLast("demux", new Demux(id));
      main.eventLoop().register(c);
      extra.put(id, c);
      return OptionalInt.of(id);
    } catch (java.io.IOException | RuntimeException e) {
      if (socket != null) {
        try {
          socket.close();
        } catch (java.io.IOException ignored) {
          // nothing more to free
        }
      }
      return OptionalInt.empty();
    }
  }

  /** Birthday sockets open now (for tests and logs; read on the event loop or after a task there). */
  public int birthdaySockets() {
    return extra.size();
  }

  @Override
  public void sendProbe(int socket, PeerAddress to, boolean lowTtl) {
    // lowTtl: Java's datagram channels have no unicast TTL option, so birthday probes go at full TTL; the remote's
    // port-restricted NAT drops them (it has not sent to that port), which opens our mapping all the same
    Channel c = socket == MAIN_SOCKET ? main : extra.get(socket);
    if (c == null || !c.isActive()) {
      return;
    }
    byte[] p = Arrays.copyOf(PROBE_MAGIC, PROBE_BYTES);
    System.arraycopy(token, 0, p, PROBE_MAGIC.length, Math.min(16, token.length));
    c.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(p), to.toSocketAddress()));
  }

  @Override
  public void closeSocket(int socket) {
    Channel c = extra.remove(socket);
    if (c != null) {
      c.close();
    }
  }

  /**
   * The punch ended on {@code socket} with a path to {@code remote}: QUIC is taken from {@code remote} only, on that
   * socket. A birthday socket becomes this channel's socket (with the QUIC server, if {@link #serveQuic} was called)
   * and the main one is closed. Runs on the event loop.
   */
  public void settle(int socket, PeerAddress remote) {
    admitQuicFrom(remote);
    main.eventLoop().execute(() -> {
      if (socket == MAIN_SOCKET || closed.isDone()) {
        return;
      }
      Channel winner = extra.remove(socket);
      if (winner == null) {
        return;
      }
      channel = winner;
      watch(winner);
      Consumer<QuicStreamChannel> server = quicServer;
      if (server != null) {
        winner.pipeline().addLast("quic", serverCodec(server));
      }
      main.close();
    });
  }

  /**
   * Answers QUIC from the punched peer only ({@link #admitQuicFrom}): the first bidirectional stream it opens goes to
   * {@code onStream}, later ones are closed. Call before the punch ends, so that the dialler's first QUIC packet finds the codec.
   */
  public void serveQuic(Consumer<QuicStreamChannel> onStream) {
    quicServer = onStream;
    channel.pipeline().addLast("quic", serverCodec(onStream));
  }

  private ChannelHandler serverCodec(Consumer<QuicStreamChannel> onStream) {
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
    return codec;
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
    return closed.copy();
  }

  /** Closes every socket: the main one, the birthday ones, the one QUIC runs on. */
  @Override
  public void close() {
    if (!closed.complete(null)) {
      return;
    }
    channel.close();
    main.close();
    main.eventLoop().execute(() -> {
      extra.values().forEach(Channel::close);
      extra.clear();
    });
  }

  /** Tells STUN answers, probes and QUIC apart, on one of this punch's sockets. */
  private final class Demux extends SimpleChannelInboundHandler<DatagramPacket> {
    private final int socket;

    Demux(int socket) {
      super(false);
      this.socket = socket;
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
            onProbe.onProbe(socket, PeerAddress.of(p.sender()));
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
