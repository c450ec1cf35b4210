package org.dialtone.bench.capacity;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocket;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.NodeMetrics;
import org.dialtone.dht.testkit.LocalTestnet;

/**
 * The process under load: either one DHT node (the first of a small formed network, so that its FIND_NODE replies
 * carry full contact lists) or a bare UDP echo. Vert.x runs one event loop, so the service is single-threaded as a
 * node on one core would be. Prints {@code ready <port>}, then a {@code stats} line every 50 ms, until stdin closes.
 *
 * <p>Usage: {@code CapacityTarget node|echo [network size]}
 */
public final class CapacityTarget implements TargetHandle {
  /** The kinds of target. */
  public enum Kind {
    /** A Dialtone DHT node. */
    NODE,
    /** A Vert.x UDP socket that sends every datagram back to its sender. */
    ECHO
  }

  private final Vertx vertx;
  private final int port;
  private final LongSupplier datagramsIn;
  private final AutoCloseable resources;

  private CapacityTarget(Vertx vertx, int port, LongSupplier datagramsIn, AutoCloseable resources) {
    this.vertx = vertx;
    this.port = port;
    this.datagramsIn = datagramsIn;
    this.resources = resources;
  }

  /** Starts a target of {@code kind}; a node target forms a network of {@code networkSize} nodes first. */
  public static CapacityTarget start(Kind kind, int networkSize) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    if (kind == Kind.ECHO) {
      AtomicLong in = new AtomicLong();
      DatagramSocket socket = vertx.createDatagramSocket();
      socket.handler(p -> {
        in.incrementAndGet();
        socket.send(p.data(), p.sender().port(), p.sender().hostAddress()); // host() may look the name up
      });
      socket.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return new CapacityTarget(vertx, socket.localAddress().port(), in::get, socket::close);
    }
    LocalTestnet net = LocalTestnet.start(vertx, networkSize, DhtConfig.defaults());
    DhtNode measured = net.node(0);
    return new CapacityTarget(vertx, measured.address().port(),
        () -> measured.metrics().get(NodeMetrics.Counter.DATAGRAMS_IN), net);
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public TargetStats stats() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocated = Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds()))
        .filter(b -> b > 0).sum();
    return new TargetStats(System.currentTimeMillis(), os.getProcessCpuTime(), allocated, datagramsIn.getAsLong());
  }

  @Override
  public void close() throws Exception {
    resources.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Runs a target until stdin closes (the benchmark holds the other end). */
  public static void main(String[] args) throws Exception {
    org.dialtone.dht.transport.NettyBuffers.preferPooled(); // as the node's Main does
    Kind kind = Kind.valueOf(args[0].toUpperCase(java.util.Locale.ROOT));
    int networkSize = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    try (CapacityTarget target = start(kind, networkSize)) {
      System.out.println("ready " + target.port());
      System.out.flush();
      Thread printer = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          System.out.println(target.stats().line());
          System.out.flush();
          try {
            Thread.sleep(50); // a reporting period, not a wait for a condition
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "stats");
      printer.setDaemon(true);
      printer.start();
      while (System.in.read() >= 0) {
        // the benchmark closes stdin when it is done, or dies
      }
      printer.interrupt();
    }
  }
}
