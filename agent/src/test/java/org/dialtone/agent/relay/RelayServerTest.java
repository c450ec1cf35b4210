package org.dialtone.agent.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.dialtone.agent.Agent;
import org.dialtone.agent.AgentConnection;
import org.dialtone.agent.AgentOptions;
import org.dialtone.agent.AgentServer;
import org.dialtone.agent.ConnectionPath;
import org.dialtone.agent.FileReceipt;
import org.dialtone.agent.HostPlan;
import org.dialtone.agent.ReceivedFile;
import org.dialtone.agent.ServiceStream;
import org.dialtone.agent.Services;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.agent.reach.relay.RelayLimits;
import org.dialtone.agent.reach.relay.RelayMessage;
import org.dialtone.agent.reach.relay.RelayWire;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.dht.time.Clock;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay on loopback: real sockets, real agents, each limit and attack mounted against a real relay. */
class RelayServerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static LocalTestnet net;
  private static Vertx vertx;
  private static int nextNumber = 600;
  @TempDir static Path dir;

  @BeforeAll
  static void network() {
    net = LocalTestnet.start(8);
    vertx = net.vertx();
  }

  @AfterAll
  static void down() {
    net.close();
  }

  private static synchronized DialNumber freshNumber() {
    return DialNumber.parse("744-196884-" + nextNumber++);
  }

  private static Agent agent(String name, LinkedBlockingQueue<ReceivedFile> files) throws Exception {
    Path inbox = Files.createDirectories(dir.resolve(name + System.nanoTime()));
    return Agent.start(vertx, net.addClient(), Identity.generate(), AgentProfile.named(name),
        Map.of(Services.CHAT, Services.chat(), Services.ECHO, Services.echo(),
            Services.FILES, Services.files(inbox, files::add)),
        AgentOptions.builder().handshakeTimeout(Duration.ofSeconds(15)).build());
  }

  private static RelayServer relay(RelayServerOptions options) {
    return get(RelayServer.start(vertx, Clock.system(), "127.0.0.1", 0, options));
  }

  private static String url(int port) {
    return "ws://127.0.0.1:" + port;
  }

  @Test
  void aHostWithoutAnEndpointIsReachedThroughTheRelayEndToEnd() throws Exception {
    try (RelayServer relay = relay(RelayServerOptions.defaults())) {
      LinkedBlockingQueue<ReceivedFile> bFiles = new LinkedBlockingQueue<>();
      Agent a = agent("A", new LinkedBlockingQueue<>());
      Agent b = agent("B", bFiles);
      LinkedBlockingQueue<AgentConnection> bAccepted = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<String> bHeard = new LinkedBlockingQueue<>();
      b.onConnection(c -> {
        bAccepted.add(c);
        c.onChat(bHeard::add);
      });
      DialNumber n = freshNumber();
      AgentServer server = get(b.host(n, HostPlan.relayed(0, List.of(url(relay.port())))));
      assertEquals(ConnectionPath.RELAYED, server.path());
      assertEquals(url(relay.port()) + "/relay/" + b.key().toHex(), server.endpoint());

      AgentConnection ab = get(a.connect(n));
      assertEquals(ConnectionPath.RELAYED, ab.path());
      assertEquals(b.key(), ab.peer());
      AgentConnection ba = bAccepted.poll(30, TimeUnit.SECONDS);
      assertEquals(ConnectionPath.RELAYED, ba.path());
      assertEquals(a.key(), ba.peer());

      // the relay named each side's address as it sees it, on sockets each agent opened itself
      assertEquals(Optional.of("127.0.0.1"), ab.relayObservedPeer());
      assertEquals(Optional.of("127.0.0.1"), ba.relayObservedPeer());

      ab.chat("hello through the relay");
      assertEquals("hello through the relay", bHeard.poll(30, TimeUnit.SECONDS));
      assertArrayEquals("echo me".getBytes(StandardCharsets.UTF_8), echo(ab, "echo me".getBytes(StandardCharsets.UTF_8)));

      Path file = dir.resolve("relayed.bin");
      byte[] chunk = new byte[1 << 20];
      new Random(7).nextBytes(chunk);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (OutputStream out = Files.newOutputStream(file)) {
        for (int i = 0; i < 16; i++) {
          out.write(chunk);
          sha.update(chunk);
        }
      }
      FileReceipt receipt = ab.sendFile(file).get(120, TimeUnit.SECONDS);
      assertEquals(HexFormat.of().formatHex(sha.digest()), receipt.sha256());
      assertEquals(receipt.sha256(), bFiles.poll(30, TimeUnit.SECONDS).sha256());
      RelayStats stats = relay.stats();
      assertEquals(1, stats.reservations());
      assertEquals(1, stats.circuitsOpened());
      assertTrue(stats.bytesRelayed() > 16L << 20, "bytes relayed: " + stats.bytesRelayed());
      a.close();
      b.close();
    }
  }

  @Test
  void aHostReservesAgainWhenTheRelayRestarts() throws Exception {
    RelayServer first = relay(RelayServerOptions.defaults());
    int port = first.port();
    Agent a = agent("A", new LinkedBlockingQueue<>());
    Agent b = agent("B", new LinkedBlockingQueue<>());
    DialNumber n = freshNumber();
    get(b.host(n, HostPlan.relayed(0, List.of(url(port)))));
    first.close();
    try (RelayServer again = get(RelayServer.start(vertx, Clock.system(), "127.0.0.1", port,
        RelayServerOptions.defaults()))) {
      await(() -> again.stats().reservations() == 1, "B reserved again at the restarted relay");
      AgentConnection ab = get(a.connect(n));
      assertEquals(ConnectionPath.RELAYED, ab.path());
    }
    a.close();
    b.close();
  }

  @Test
  void aReachableHostStaysDirectAndADialBackGoesNowhereElse() throws Exception {
    try (RelayServer relay = relay(RelayServerOptions.defaults())) {
      Agent a = agent("A", new LinkedBlockingQueue<>());
      Agent b = agent("B", new LinkedBlockingQueue<>());
      DialNumber n = freshNumber();
      AgentServer server = get(b.host(n, HostPlan.auto(0, List.of(url(relay.port())))));
      assertEquals(ConnectionPath.DIRECT, server.path());
      assertEquals("ws://127.0.0.1:" + server.port(), server.endpoint());
      AgentConnection ab = get(a.connect(n));
      assertEquals(ConnectionPath.DIRECT, ab.path());
      assertEquals(1, relay.stats().dialBacksReachable());
      assertEquals(0, relay.stats().reservations());

      // A second dial-back from the same IP address within 10 s is rate-limited.
      Identity c = Identity.generate();
      WebSocketClient client = vertx.createWebSocketClient();
      RelayReservation r = get(RelayReservation.connect(vertx, client, url(relay.port()), c, WAIT, (ws, ip) -> { }));
      AgentException limited = failure(r.dialBack(server.port()));
      assertEquals(AgentError.RELAY_REFUSED, limited.code());
      assertTrue(limited.getMessage().contains("RATE_LIMITED"), limited.getMessage());
      // At another relay: a port where C's key is not proven (B listens there) is not reachable for C.
      try (RelayServer other = relay(RelayServerOptions.defaults())) {
        RelayReservation r2 = get(RelayReservation.connect(vertx, client, url(other.port()), c, WAIT, (ws, ip) -> { }));
        assertFalse(get(r2.dialBack(server.port())), "B's port proves B's key, not C's");
        r2.close();
      }
      r.close();
      a.close();
      b.close();
    }
  }

  @Test
  void theRelayNamesWhatItSeesToBothSides() throws Exception {
    try (RelayServer relay = relay(RelayServerOptions.defaults())) {
      Identity host = Identity.generate();
      RawSocket reservation = RawSocket.open(relay.port(), "/relay/reserve");
      RelayMessage.Challenge ch = assertInstanceOf(RelayMessage.Challenge.class, RelayWire.decode(reservation.next()));
      reservation.send(RelayWire.encode(new RelayMessage.Proof(host.publicKey(),
          host.sign(RelayWire.proofMessage(ch.nonce(), host.publicKey())))));
      reservation.send(RelayWire.encode(new RelayMessage.Reserve()));
      assertInstanceOf(RelayMessage.Reserved.class, RelayWire.decode(reservation.next()));
      // the dialler's upgrade answer names the host's address as the relay sees it
      RawSocket dialler = RawSocket.open(relay.port(), "/relay/" + host.publicKey().toHex());
      assertEquals("127.0.0.1", dialler.ws.headers().get(RelayServer.OBSERVED_HOST_HEADER));
      // the host's offer names the dialler's
      RelayMessage.CircuitOffer offer = assertInstanceOf(RelayMessage.CircuitOffer.class,
          RelayWire.decode(reservation.next()));
      assertEquals("127.0.0.1", offer.observed());
      // a key with no reservation here: no address in the answer
      RawSocket nobody = RawSocket.open(relay.port(), "/relay/" + Identity.generate().publicKey().toHex());
      assertNull(nobody.ws.headers().get(RelayServer.OBSERVED_HOST_HEADER));
      assertEquals("NO_RESERVATION", nobody.awaitClose());
    }
  }

  @Test
  void aReservationWithoutAKeyProofIsRefused() throws Exception {
    try (RelayServer relay = relay(RelayServerOptions.defaults())) {
      Identity victim = Identity.generate();
      // A signature over another nonce (a replayed proof): refused.
      RawSocket s1 = RawSocket.open(relay.port(), "/relay/reserve");
      RelayMessage.Challenge ch = assertInstanceOf(RelayMessage.Challenge.class, RelayWire.decode(s1.next()));
      byte[] otherNonce = ch.nonce().clone();
      otherNonce[0] ^= 1;
      s1.send(RelayWire.encode(new RelayMessage.Proof(victim.publicKey(),
          victim.sign(RelayWire.proofMessage(otherNonce, victim.publicKey())))));
      s1.send(RelayWire.encode(new RelayMessage.Reserve()));
      assertEquals("NOT_PROVEN", s1.awaitClose());
      // No proof at all: refused.
      RawSocket s2 = RawSocket.open(relay.port(), "/relay/reserve");
      s2.next();
      s2.send(RelayWire.encode(new RelayMessage.Reserve()));
      assertEquals("NOT_PROVEN", s2.awaitClose());
      assertEquals(2, relay.stats().refused("NOT_PROVEN"));
      assertEquals(0, relay.stats().reservations());
      // A proven socket that never reserves is closed too (sockets without a reservation are bounded in number and
      // time): with a short proof timeout.
      try (RelayServer strict = relay(new RelayServerOptions(RelayLimits.defaults(), Duration.ofSeconds(10),
          Duration.ofMillis(300), 2, 8, Duration.ofSeconds(10), Duration.ofMillis(300)))) {
        RawSocket idle = RawSocket.open(strict.port(), "/relay/reserve");
        RelayMessage.Challenge c = assertInstanceOf(RelayMessage.Challenge.class, RelayWire.decode(idle.next()));
        idle.send(RelayWire.encode(new RelayMessage.Proof(victim.publicKey(),
            victim.sign(RelayWire.proofMessage(c.nonce(), victim.publicKey())))));
        assertEquals("NOT_RESERVED", idle.awaitClose());
      }
      // So nobody can be dialled there under the victim's key.
      RawSocket d = RawSocket.open(relay.port(), "/relay/" + victim.publicKey().toHex());
      assertEquals("NO_RESERVATION", d.awaitClose());
    }
  }

  @Test
  void aCircuitEndsAtItsByteLimit() throws Exception {
    RelayLimits limits = new RelayLimits(true, 16, 16, 3_600_000, 16, 4, 4, 600_000, 256 * 1024);
    try (RelayServer relay = relay(RelayServerOptions.of(limits))) {
      Agent a = agent("A", new LinkedBlockingQueue<>());
      Agent b = agent("B", new LinkedBlockingQueue<>());
      DialNumber n = freshNumber();
      get(b.host(n, HostPlan.relayed(0, List.of(url(relay.port())))));
      AgentConnection ab = get(a.connect(n));
      ServiceStream echo = get(ab.open(Services.ECHO));
      byte[] block = new byte[32 * 1024];
      for (int i = 0; i < 32; i++) { // 1 MiB, four times the limit
        echo.write(block);
      }
      assertEquals(AgentError.RELAY_LIMIT, ab.closed().get(30, TimeUnit.SECONDS));
      assertEquals(1, relay.stats().refused("BYTE_LIMIT"));
      await(() -> relay.stats().circuits() == 0, "the circuit is gone from the book");
      a.close();
      b.close();
    }
  }

  @Test
  void aCircuitEndsAtItsLifetime() throws Exception {
    RelayLimits limits = new RelayLimits(true, 16, 16, 3_600_000, 16, 4, 4, 1_500, 1L << 30);
    try (RelayServer relay = relay(RelayServerOptions.of(limits))) {
      Agent a = agent("A", new LinkedBlockingQueue<>());
      Agent b = agent("B", new LinkedBlockingQueue<>());
      DialNumber n = freshNumber();
      get(b.host(n, HostPlan.relayed(0, List.of(url(relay.port())))));
      AgentConnection ab = get(a.connect(n));
      assertEquals(AgentError.RELAY_LIMIT, ab.closed().get(30, TimeUnit.SECONDS));
      assertEquals(1, relay.stats().refused("DURATION_LIMIT"));
      a.close();
      b.close();
    }
  }

  @Test
  void circuitsPerReservedPeerAreLimited() throws Exception {
    RelayLimits limits = new RelayLimits(true, 16, 16, 3_600_000, 16, 2, 16, 600_000, 1L << 30);
    try (RelayServer relay = relay(RelayServerOptions.of(limits))) {
      Agent b = agent("B", new LinkedBlockingQueue<>());
      DialNumber n = freshNumber();
      get(b.host(n, HostPlan.relayed(0, List.of(url(relay.port())))));
      List<Agent> diallers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        diallers.add(agent("A" + i, new LinkedBlockingQueue<>()));
      }
      get(diallers.get(0).connect(n));
      get(diallers.get(1).connect(n));
      AgentException third = failure(diallers.get(2).connect(n));
      assertEquals(AgentError.RELAY_REFUSED, third.code());
      assertTrue(third.getMessage().contains("PEER_CIRCUITS_FULL"), third.getMessage());
      assertEquals(1, relay.stats().refused("PEER_CIRCUITS_FULL"));
      diallers.forEach(Agent::close);
      b.close();
    }
  }

  @Test
  void circuitsPerDiallerSubnetAreLimited() throws Exception {
    RelayLimits limits = new RelayLimits(true, 16, 16, 3_600_000, 16, 16, 2, 600_000, 1L << 30);
    try (RelayServer relay = relay(RelayServerOptions.of(limits))) {
      Agent b = agent("B", new LinkedBlockingQueue<>());
      Agent c = agent("C", new LinkedBlockingQueue<>());
      DialNumber nb = freshNumber();
      DialNumber nc = freshNumber();
      get(b.host(nb, HostPlan.relayed(0, List.of(url(relay.port())))));
      get(c.host(nc, HostPlan.relayed(0, List.of(url(relay.port())))));
      Agent a = agent("A", new LinkedBlockingQueue<>());
      get(a.connect(nb));
      get(a.connect(nc));
      AgentException third = failure(agent("A2", new LinkedBlockingQueue<>()).connect(nb));
      assertTrue(third.getMessage().contains("SUBNET_CIRCUITS_FULL"), third.getMessage());
      a.close();
      b.close();
      c.close();
    }
  }

  @Test
  void aFloodOfCircuitRequestsIsRateLimited() throws Exception {
    try (RelayServer relay = relay(RelayServerOptions.defaults().withCircuitRequests(1, 4))) {
      Agent b = agent("B", new LinkedBlockingQueue<>());
      get(b.host(freshNumber(), HostPlan.relayed(0, List.of(url(relay.port())))));
      int limited = 0;
      for (int i = 0; i < 20; i++) {
        RawSocket s = RawSocket.open(relay.port(), "/relay/" + b.key().toHex());
        if (i >= 6) { // past the burst (and the odd token refilled while the first ones connected)
          limited += "RATE_LIMITED".equals(s.awaitClose()) ? 1 : 0;
        }
      }
      assertTrue(limited >= 10, "rate-limited: " + limited + " of the last 14");
      assertTrue(relay.stats().refused("RATE_LIMITED") >= 10, relay.stats().toString());
      assertTrue(relay.stats().circuits() <= 4 + 2, "circuits opened for the flood: " + relay.stats().circuits());
      b.close();
    }
  }

  @Test
  void aRelayThatFlipsAHandshakeByteFailsTheConnection() throws Exception {
    // After the upgrade, towards the host: ClientHello (2 + 70 bytes). A byte of its nonce is flipped.
    AgentException e = failure(tamperedConnection(2 + 40).connect);
    assertEquals(AgentError.BAD_SIGNATURE, e.code());
  }

  @Test
  void aRelayThatFlipsAFrameByteFailsTheConnectionAndDeliversNothing() throws Exception {
    // Towards the host: ClientHello (72), ClientAuth (98), then the first sealed frame (the dialler's gossip digest):
    // a byte of its body. The frames after it (the chat) decrypt, but a connection that failed once takes no more.
    Tampered t = tamperedConnection(72 + 98 + 2 + 5);
    AgentConnection ab = get(t.connect);
    ab.chat("altered on the way?");
    AgentError closed = ab.closed().get(30, TimeUnit.SECONDS);
    assertEquals(AgentError.DECRYPT_FAILED, closed);
    assertTrue(t.heard.isEmpty(), "nothing is delivered: " + t.heard);
  }

  private record Tampered(CompletableFuture<AgentConnection> connect, LinkedBlockingQueue<String> heard) {}

  /** A host B whose path to the relay goes through a proxy that flips the byte at {@code offset} of each circuit. */
  private Tampered tamperedConnection(int offset) throws Exception {
    RelayServer relay = relay(RelayServerOptions.defaults());
    FlippingProxy proxy = new FlippingProxy(relay.port(), offset);
    Agent a = agent("A", new LinkedBlockingQueue<>());
    Agent b = agent("B", new LinkedBlockingQueue<>());
    LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
    b.onConnection(c -> c.onChat(heard::add));
    DialNumber n = freshNumber();
    get(b.host(n, HostPlan.relayed(0, List.of(url(proxy.port())))));
    // B published the proxy's address; the dialler goes to the relay itself (the proxy stands for the relay's inside).
    CompletableFuture<AgentConnection> f = a.connect(url(relay.port()) + "/relay/" + b.key().toHex(), b.key());
    f.whenComplete((c, e) -> { });
    return new Tampered(f, heard);
  }

  // ---- helpers ----

  /** Forwards TCP to the relay; on sockets to /relay/accept/, flips one byte of what flows to the host. */
  private static final class FlippingProxy {
    private final ServerSocket server;

    FlippingProxy(int relayPort, int offset) throws Exception {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread accept = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket in = server.accept();
            Socket out = new Socket(InetAddress.getLoopbackAddress(), relayPort);
            boolean[] tamper = {false};
            Object lock = new Object();
            start(() -> copyRequest(in, out, tamper, lock));
            start(() -> copyResponse(out, in, offset, tamper, lock));
          } catch (Exception e) {
            return;
          }
        }
      }, "flipping-proxy");
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private static void start(Runnable r) {
      Thread t = new Thread(r, "flipping-proxy-copy");
      t.setDaemon(true);
      t.start();
    }

    private static void copyRequest(Socket from, Socket to, boolean[] tamper, Object lock) {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
          head.write(b);
          if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            break;
          }
        }
        // decided before the relay sees the request, so before its answer can reach copyResponse
        synchronized (lock) {
          tamper[0] = head.toString(StandardCharsets.ISO_8859_1).contains("/relay/accept/");
        }
        out.write(head.toByteArray());
        out.flush();
        in.transferTo(out);
      } catch (Exception e) {
        // closed
      }
    }

    private static void copyResponse(Socket from, Socket to, int offset, boolean[] tamper, Object lock) {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
          head.write(b);
          out.write(b);
          if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            break;
          }
        }
        out.flush();
        boolean flip;
        synchronized (lock) {
          flip = tamper[0]; // set before the request went on: the relay answers only after it
        }
        long at = 0;
        while ((b = in.read()) >= 0) {
          out.write(flip && at == offset ? b ^ 0x01 : b);
          at++;
          if (in.available() == 0) {
            out.flush();
          }
        }
      } catch (Exception e) {
        // closed
      }
    }
  }

  /** A bare WebSocket for speaking the relay protocol wrongly on purpose. */
  private static final class RawSocket {
    final LinkedBlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    ClientWebSocket ws;

    static RawSocket open(int port, String path) {
      RawSocket s = new RawSocket();
      WebSocketClient client = vertx.createWebSocketClient();
      s.ws = client.webSocket();
      s.ws.binaryMessageHandler(b -> s.messages.add(b.getBytes()));
      s.ws.closeHandler(v -> s.closed.complete(s.ws.closeReason()));
      get(s.ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path))
          .toCompletionStage().toCompletableFuture());
      return s;
    }

    byte[] next() throws InterruptedException {
      byte[] m = messages.poll(30, TimeUnit.SECONDS);
      if (m == null) {
        fail("no message within 30 s");
      }
      return m;
    }

    void send(byte[] b) {
      ws.writeBinaryMessage(Buffer.buffer(b));
    }

    String awaitClose() {
      return get(closed);
    }
  }

  private static byte[] echo(AgentConnection c, byte[] data) throws Exception {
    ServiceStream s = get(c.open(Services.ECHO));
    CompletableFuture<byte[]> back = new CompletableFuture<>();
    s.handler(back::complete);
    s.write(data);
    return back.get(30, TimeUnit.SECONDS);
  }

  private static <T> T get(CompletableFuture<T> f) {
    try {
      return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static AgentException failure(CompletableFuture<?> f) {
    try {
      f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return assertInstanceOf(AgentException.class, e.getCause(), String.valueOf(e.getCause()));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("succeeded, expected a failure");
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + WAIT.toSeconds() + " s: " + what);
      }
      Thread.sleep(20);
    }
  }
}
