package org.dialtone.dht.transport;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.SocketAddress;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.VertxScheduler;

/**
 * A {@link Transport} on a Vert.x UDP socket; the only class in the project that imports {@code io.vertx.core.datagram}.
 *
 * <p>The socket lives on a {@link VertxScheduler}'s context, so the receive handler runs on that scheduler's thread,
 * together with the node's timers. Sending is fire and forget: a failure is counted in {@link #sendErrors()}, never
 * thrown. A handler that throws is logged and counted, and the socket keeps receiving.
 *
 * <p>Datagrams over the protocol's size limit are still delivered whole: the codec rejects them, and the node counts
 * them. The socket asks for a generous receive buffer and joins no multicast group.
 */
public final class VertxTransport implements Transport {
  private static final System.Logger LOG = System.getLogger(VertxTransport.class.getName());
  private static final DatagramHandler DISCARD = (from, datagram) -> { };

  /** SO_RCVBUF asked of the kernel, so bursts of replies to a lookup are not dropped by a small default buffer. */
  static final int RECEIVE_BUFFER_BYTES = 1 << 20;

  private final DatagramSocket socket;
  private final VertxScheduler scheduler;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong sendErrors = new AtomicLong();
  private final AtomicLong handlerErrors = new AtomicLong();
  private volatile DatagramHandler handler = DISCARD;
  private volatile PeerAddress localAddress;

  private VertxTransport(DatagramSocket socket, VertxScheduler scheduler) {
    this.socket = socket;
    this.scheduler = scheduler;
  }

  /**
   * Binds a UDP socket to {@code host} (an IP literal) and {@code port} (0 for an ephemeral port) on the scheduler's
   * context; {@code scheduler} must run on {@code vertx}. The future completes with the bound transport, whose {@link #localAddress()} carries the actual port, or
   * fails with the bind error.
   */
  public static CompletableFuture<VertxTransport> bind(
      Vertx vertx, VertxScheduler scheduler, String host, int port) {
    Objects.requireNonNull(vertx, "vertx must not be null");
    Objects.requireNonNull(scheduler, "scheduler must not be null");
    Objects.requireNonNull(host, "host must not be null");
    if (scheduler.vertx() != vertx) {
      throw new IllegalArgumentException("the scheduler runs on another Vert.x instance");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("a port is 0..65535, got " + port);
    }
    DatagramSocketOptions options = new DatagramSocketOptions()
        .setReceiveBufferSize(RECEIVE_BUFFER_BYTES)
        .setIpV6(host.indexOf(':') >= 0);
    CompletableFuture<VertxTransport> result = new CompletableFuture<>();
    // Created on the scheduler's context, the socket delivers its packets on that context's thread.
    scheduler.context().runOnContext(v -> {
      try {
        DatagramSocket socket = vertx.createDatagramSocket(options);
        VertxTransport transport = new VertxTransport(socket, scheduler);
        socket.handler(transport::onPacket);
        socket.exceptionHandler(e -> LOG.log(Level.WARNING, "UDP socket error", e));
        socket.listen(port, host).onComplete(bound -> {
          if (bound.failed()) {
            result.completeExceptionally(bound.cause());
            return;
          }
          try {
            transport.localAddress = toPeerAddress(socket.localAddress());
            result.complete(transport);
          } catch (RuntimeException e) {
            socket.close();
            result.completeExceptionally(e);
          }
        });
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  @Override
  public PeerAddress localAddress() {
    return localAddress;
  }

  /**
   * Sends {@code datagram}, which the caller must not change afterwards (the node's datagrams are encoded fresh and
   * never changed; a retransmission sends the same array again). Not copied: Netty copies it into the socket's direct
   * buffer anyway (this copy was one of the larger allocations per datagram in a profile of a formation).
   */
  @Override
  public void send(PeerAddress to, byte[] datagram) {
    Objects.requireNonNull(to, "to must not be null");
    Objects.requireNonNull(datagram, "datagram must not be null");
    if (closed.get()) {
      sendErrors.incrementAndGet();
      return;
    }
    try {
      socket.send(Buffer.buffer(datagram), to.port(), to.host()).onComplete(done -> {
        if (done.succeeded()) {
          sent.incrementAndGet();
        } else {
          sendErrors.incrementAndGet();
        }
      });
    } catch (RuntimeException e) {
      sendErrors.incrementAndGet();
    }
  }

  @Override
  public void onReceive(DatagramHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler must not be null");
  }

  /** Closes the socket; later calls do nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      handler = DISCARD;
      socket.close();
    }
  }

  /** The scheduler whose thread runs the receive handler. */
  public VertxScheduler scheduler() {
    return scheduler;
  }

  /** Datagrams the socket has sent successfully. */
  public long datagramsSent() {
    return sent.get();
  }

  /** Datagrams received and handed to the handler. */
  public long datagramsReceived() {
    return received.get();
  }

  /** Sends that failed (unreachable address, closed socket, ...). */
  public long sendErrors() {
    return sendErrors.get();
  }

  /** Times the receive handler threw. */
  public long handlerErrors() {
    return handlerErrors.get();
  }

  private void onPacket(DatagramPacket packet) {
    if (closed.get()) {
      return;
    }
    PeerAddress from;
    try {
      from = toPeerAddress(packet.sender());
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "datagram from an unreadable address {0}", packet.sender());
      return;
    }
    byte[] bytes = packet.data().getBytes();
    received.incrementAndGet();
    try {
      handler.onDatagram(from, bytes);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      handlerErrors.incrementAndGet();
      LOG.log(Level.ERROR, "datagram handler failed on a datagram from " + from, e);
    }
  }

  /** Converts a resolved Vert.x address; refuses anything that is not an IP literal, so no DNS lookup can happen. */
  private static PeerAddress toPeerAddress(SocketAddress address) {
    String host = address.hostAddress();
    if (host == null) {
      throw new IllegalArgumentException("not an IP address: " + address);
    }
    int scope = host.indexOf('%');
    if (scope >= 0) {
      host = host.substring(0, scope);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.indexOf(':') < 0) {
      return PeerAddress.of(ipv4Bytes(host), address.port());
    }
    try {
      // A string with a colon is only ever parsed as an IPv6 literal, never looked up.
      return PeerAddress.of(InetAddress.getByName(host), address.port());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + host, e);
    }
  }

  /**
   * The four bytes of a dotted-quad IPv4 literal, parsed here so that nothing can turn into a DNS lookup: four
   * groups of one to three decimal digits, each at most 255. One pass over the characters, since it runs for every
   * datagram received (splitting and a stream per group allocated more than the datagram itself).
   */
  static byte[] ipv4Bytes(String host) {
    byte[] ip = new byte[4];
    int part = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i <= host.length(); i++) {
      char c = i < host.length() ? host.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
        if (++digits > 3 || value > 255) {
          throw new IllegalArgumentException("not an IPv4 literal: " + host);
        }
      } else if (c == '.' && digits > 0 && part < 4) {
        ip[part++] = (byte) value;
        value = 0;
        digits = 0;
      } else {
        throw new IllegalArgumentException("not an IPv4 literal: " + host);
      }
    }
    if (part != 4) {
      throw new IllegalArgumentException("not an IPv4 literal: " + host);
    }
    return ip;
  }
}
