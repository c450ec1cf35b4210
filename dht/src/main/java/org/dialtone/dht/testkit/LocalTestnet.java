package org.dialtone.dht.testkit;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.DhtNodes;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.net.PeerAddress;

/**
 * A whole DHT on loopback in a few lines, for agent developers' tests and the demo: real UDP sockets on
 * 127.0.0.1, real nodes, one Vert.x instance.
 *
 * <pre>{@code
 * try (LocalTestnet net = LocalTestnet.start(20)) {
 *   DhtNode a = net.node(3), b = net.node(17);
 *   a.put(record).join();
 *   b.get(record.key()).join();
 * }
 * }</pre>
 *
 * <p>Node 0 starts alone; the others bootstrap from it, at most 16 joining at once.
 */
public final class LocalTestnet implements AutoCloseable {
  private static final int MAX_CONCURRENT_JOINS = 16;
  private static final long JOIN_TIMEOUT_SECONDS = 60;

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final DhtConfig config;
  private final List<DhtNode> nodes = new ArrayList<>();

  private LocalTestnet(Vertx vertx, boolean ownsVertx, DhtConfig config) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.config = config;
  }

  /** {@code size} nodes with the default config, on a Vert.x instance of their own. */
  public static LocalTestnet start(int size) {
    return start(size, DhtConfig.defaults());
  }

  /** {@code size} nodes with {@code config}, on a Vert.x instance of their own. */
  public static LocalTestnet start(int size, DhtConfig config) {
    return start(Vertx.vertx(), true, size, config);
  }

  /** {@code size} nodes with {@code config} on {@code vertx}, which the caller keeps and closes. */
  public static LocalTestnet start(Vertx vertx, int size, DhtConfig config) {
    return start(vertx, false, size, config);
  }

  private static LocalTestnet start(Vertx vertx, boolean owns, int size, DhtConfig config) {
    if (size < 1) {
      throw new IllegalArgumentException("a testnet needs at least one node");
    }
    LocalTestnet net = new LocalTestnet(vertx, owns, config);
    try {
      DhtNode first = net.startNode(config);
      first.bootstrap(List.of()).get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      net.nodes.add(first);
      net.join(size - 1, config);
      return net;
    } catch (Exception e) {
      net.close();
      throw new IllegalStateException("testnet failed to start: " + e.getMessage(), e);
    }
  }

  /** Adds a node that joins through the seed nodes and waits until it is ready. */
  public DhtNode addNode(DhtConfig nodeConfig) {
    try {
      DhtNode node = startNode(nodeConfig);
      node.bootstrap(seeds()).get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      synchronized (nodes) {
        if (!nodeConfig.clientMode()) {
          nodes.add(node);
        }
      }
      return node;
    } catch (Exception e) {
      throw new IllegalStateException("node failed to join: " + e.getMessage(), e);
    }
  }

  /** Adds a client-mode node (looks up and stores, answers nothing), ready to use; the caller closes it. */
  public DhtNode addClient() {
    return addNode(config.toBuilder().clientMode(true).build());
  }

  /** The server nodes, in join order; node 0 is the seed. */
  public List<DhtNode> nodes() {
    synchronized (nodes) {
      return List.copyOf(nodes);
    }
  }

  /** Node {@code i}. */
  public DhtNode node(int i) {
    synchronized (nodes) {
      return nodes.get(i);
    }
  }

  /** The addresses to bootstrap from: node 0's. */
  public List<PeerAddress> seeds() {
    return List.of(node(0).address());
  }

  /** The Vert.x instance the nodes run on. */
  public Vertx vertx() {
    return vertx;
  }

  /** Closes every node (and Vert.x, if the testnet made it). */
  @Override
  public void close() {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (DhtNode n : nodes()) {
      closing.add(n.closeAsync());
    }
    try {
      CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing is best effort; Vert.x below releases the sockets regardless
    }
    if (ownsVertx) {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  private DhtNode startNode(DhtConfig nodeConfig) throws Exception {
    return DhtNodes.startUdp(vertx, nodeConfig, Identity.generate(), "127.0.0.1", 0)
        .get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private void join(int count, DhtConfig nodeConfig) throws Exception {
    Semaphore window = new Semaphore(MAX_CONCURRENT_JOINS);
    List<CompletableFuture<Void>> joins = new ArrayList<>();
    List<PeerAddress> seeds = seeds();
    for (int i = 0; i < count; i++) {
      window.acquire();
      DhtNode node = startNode(nodeConfig);
      synchronized (nodes) {
        nodes.add(node);
      }
      joins.add(node.bootstrap(seeds).whenComplete((v, e) -> window.release()));
    }
    CompletableFuture.allOf(joins.toArray(new CompletableFuture<?>[0])).get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
