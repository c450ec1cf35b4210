package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.node.gateway.Gateway;
import org.dialtone.node.log.StructuredLog;
import org.dialtone.node.metrics.NodeMeters;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberResolver;
import org.junit.jupiter.api.Test;

/**
 * Attack 13 of {@code docs/threats.md}: WebSockets opened until the gateway's watches run out, over real HTTP from
 * several loopback client addresses. Every socket is either refused at the handshake (503) or told in JSON why it
 * closes; none stays silent, and no stack trace reaches the log.
 */
class GatewayWatchBudgetTest {
  private static final ByteArrayOutputStream LOGS = new ByteArrayOutputStream();

  /** What one socket heard: its first text frame, or how it was refused or closed. */
  record Outcome(int rejectedStatus, String firstText, String closeReason) {}

  @Test
  void watchesArePerClientAndAgreeWithTheDhtAndARefusalIsNeverSilent() throws Exception {
    ByteArrayOutputStream logs = LOGS;
    PrintStream logStream = new PrintStream(logs, true, StandardCharsets.UTF_8);
    StructuredLog.configure("INFO", logStream);
    // The DHT node allows 24 watches: the gateway, at 2 per socket, must stop at 12.
    DhtConfig config = DhtConfig.builder().maxWatches(24).build();
    try (LocalTestnet net = LocalTestnet.start(3, config)) {
      DhtNode node = net.node(0);
      NumberResolver resolver = NumberResolver.create(node, Identity.generate(), AgentProfile.named("gateway"));
      Gateway gateway = Gateway.start(net.vertx(), node, resolver,
          NodeMeters.create(node.metrics(), node::isReady), "127.0.0.1", 0).get(10, TimeUnit.SECONDS);
      List<WebSocket> open = new ArrayList<>();
      try {
        // One client address: 8 watches, then 503.
        List<Outcome> fromOne = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          fromOne.add(watch(net.vertx(), "127.0.0.1", gateway.port(), 31 + i, open));
        }
        for (int i = 0; i < 8; i++) {
          assertTrue(fromOne.get(i).firstText().contains("WATCHING"), "socket " + i + ": " + fromOne.get(i));
        }
        assertEquals(503, fromOne.get(8).rejectedStatus());
        assertEquals(503, fromOne.get(9).rejectedStatus());
        // Other clients: 4 more fill the 12 the DHT's 24 watches allow, then 503 for everyone.
        List<Outcome> fromOthers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          fromOthers.add(watch(net.vertx(), "127.0.0." + (2 + i), gateway.port(), 41 + i, open));
        }
        long accepted = fromOthers.stream().filter(o -> o.firstText() != null).count();
        assertEquals(4, accepted, String.valueOf(fromOthers));
        assertEquals(2, fromOthers.stream().filter(o -> o.rejectedStatus() == 503).count());
        assertEquals(12, gateway.watchers());

        // The DHT's watches taken by someone else: the gateway accepts the socket, the watch fails, and the client
        // is told so in JSON rather than left with a silent socket.
        open.remove(0).close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        awaitWatchers(gateway, 11);
        awaitFreeDhtWatches(node);
        Outcome told = watch(net.vertx(), "127.0.0.9", gateway.port(), 60, open);
        System.out.printf("attack 13: one client got %d of 10 sockets, others %d of 6 (limit %d = DHT's %d / 2); "
            + "a watch the DHT refused was told: %s%n", fromOne.stream().filter(o -> o.firstText() != null).count(),
            accepted, 12, 24, told);
        assertTrue(told.firstText() != null && told.firstText().contains("\"error\":\"OVERLOADED\""),
            String.valueOf(told));
        assertTrue(told.closeReason() != null && told.closeReason().contains("OVERLOADED"), String.valueOf(told));
      } finally {
        for (WebSocket ws : open) {
          ws.close();
        }
        gateway.close();
        resolver.closeAsync().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
      }
    } finally {
      StructuredLog.configure("INFO", System.err);
    }
    String logged = logs.toString(StandardCharsets.UTF_8);
    assertFalse(logged.contains("\tat "), "no stack trace in the log:\n" + logged);
    assertTrue(logged.contains("gateway.watch_refused"), logged);
  }

  // Takes every DHT watch the node has left, as another user of the node would.
  private static void awaitFreeDhtWatches(DhtNode node) {
    for (int i = 0; i < 4; i++) {
      try {
        node.watch(NodeId.random(new java.util.Random(i)), r -> { });
      } catch (RuntimeException full) {
        return;
      }
    }
  }

  private static void awaitWatchers(Gateway g, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (g.watchers() != n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(n, g.watchers());
  }

  /** Opens /watch/744-196884-{shard} from {@code localIp}; waits for its first text frame, a close or a refusal. */
  private static Outcome watch(Vertx vertx, String localIp, int port, int shard, List<WebSocket> open)
      throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(localIp));
    LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    CompletableFuture<String> closed = new CompletableFuture<>();
    // The handlers are set before connecting: a frame or a close that arrived before them would be lost (Vert.x
    // refuses handlers on a closed socket), and the socket would look silent.
    ClientWebSocket socket = client.webSocket();
    socket.textMessageHandler(texts::add);
    socket.closeHandler(v -> closed.complete(socket.closeReason()));
    CompletableFuture<WebSocket> connected = socket.connect(port, "127.0.0.1", "/watch/744-196884-" + shard)
        .toCompletionStage().toCompletableFuture();
    WebSocket ws;
    try {
      ws = connected.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return new Outcome(assertInstanceOf(UpgradeRejectedException.class, e.getCause()).getStatus(), null, null);
    }
    String first = texts.poll(60, TimeUnit.SECONDS); // a watch is a lookup and two subscriptions: slow on a loaded machine
    if (first == null) {
      throw new AssertionError("a silent socket: nothing in 60 s from /watch/744-196884-" + shard + "\n" + LOGS);
    }
    if (first.contains("\"error\"")) {
      return new Outcome(0, first, closed.get(10, TimeUnit.SECONDS));
    }
    open.add(ws);
    return new Outcome(0, first, null);
  }
}
