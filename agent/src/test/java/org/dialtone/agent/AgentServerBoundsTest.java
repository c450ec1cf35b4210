package org.dialtone.agent;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.agent.secure.ClientHandshake;
import org.dialtone.agent.secure.FrameCipher;
import org.dialtone.agent.wire.EarlyClose;
import org.dialtone.agent.wire.Frame;
import org.dialtone.agent.wire.FrameType;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's bounds over real loopback sockets: bad frames, replayed handshakes, slow and silent clients, connection
 * limits (per server and per remote address), backpressure on a paused receiver, and no listening leak when HOST
 * cannot be published. Raw clients are plain Vert.x WebSocket clients that speak as much of the protocol as each
 * test needs.
 */
class AgentServerBoundsTest {
  static final int MAX_MESSAGE = Frame.MAX_ENCODED + FrameCipher.TAG_BYTES;
  /**
   * A WebSocket message over twice the frame limit is cut by Vert.x itself, which drops the TCP connection without a
   * close frame: the client sees RFC 6455's "abnormal closure".
   */
  static final short ABNORMAL_CLOSURE = 1006;

  static LocalTestnet net;
  static Vertx vertx;
  static WebSocketClient rawClient;
  static int numbers;
  @TempDir static Path dir;

  final List<Agent> agents = new ArrayList<>();

  @BeforeAll
  static void network() {
    net = LocalTestnet.start(10);
    vertx = net.vertx();
    rawClient = vertx.createWebSocketClient(
        new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
  }

  @AfterAll
  static void down() throws Exception {
    rawClient.close().toCompletionStage().toCompletableFuture().get(5, SECONDS);
    net.close();
  }

  @AfterEach
  void closeAgents() throws Exception {
    for (Agent a : agents) {
      a.closeAsync().get(30, SECONDS);
    }
  }

  // ---- 1. malformed and oversized frames ----

  @Test
  void badFramesCloseOnlyTheirConnectionWhileTheServerKeepsServing() throws Exception {
    Agent b = echoServer(AgentOptions.defaults());
    AgentServer server = host(b);
    AgentConnection good = client().connect(server.endpoint(), b.key()).get(30, SECONDS);
    roundTrip(good, "before");

    // before the handshake: garbage, a text message, an oversized message
    assertEquals(AgentError.BAD_HANDSHAKE.closeCode(), raw(server).sendAndAwaitClose(random(70)));
    Raw text = raw(server);
    text.ws.writeTextMessage("hello?");
    assertEquals(AgentError.BAD_HANDSHAKE.closeCode(), text.awaitClose());
    assertEquals(ABNORMAL_CLOSURE, raw(server).sendAndAwaitClose(random(2 * MAX_MESSAGE + 1)));

    // after the handshake: garbage that does not decrypt, a sealed frame that does not parse, a frame over 64 KiB,
    // a message over Vert.x's own limit, a text message
    assertEquals(AgentError.DECRYPT_FAILED.closeCode(), handshaken(server, b.key()).sendAndAwaitClose(random(200)));
    Raw unparsable = handshaken(server, b.key());
    assertEquals(AgentError.MALFORMED_FRAME.closeCode(),
        unparsable.sendAndAwaitClose(unparsable.sealer.seal(new byte[] {0x7f, 0, 0, 0, 1})));
    Raw tooLarge = handshaken(server, b.key());
    assertEquals(AgentError.FRAME_TOO_LARGE.closeCode(), tooLarge.sendAndAwaitClose(random(MAX_MESSAGE + 1)));
    Raw huge = handshaken(server, b.key());
    assertEquals(ABNORMAL_CLOSURE, huge.sendAndAwaitClose(random(2 * MAX_MESSAGE + 1)));
    Raw textAfter = handshaken(server, b.key());
    textAfter.ws.writeTextMessage("hello?");
    assertEquals(AgentError.MALFORMED_FRAME.closeCode(), textAfter.awaitClose());

    roundTrip(good, "after");
    AgentConnection another = client().connect(server.endpoint(), b.key()).get(30, SECONDS);
    roundTrip(another, "a new one");
  }

  // ---- 2. replay ----

  @Test
  void replayedHandshakeAndReplayedFrameAreRefusedOverSockets() throws Exception {
    Agent b = echoServer(AgentOptions.defaults());
    AgentServer server = host(b);
    Identity id = Identity.generate();

    // a session that completes, recorded
    Raw first = raw(server);
    first.handshake(new ClientHandshake(id, b.key(), false));
    int refusedBefore = server.refused();

    // the recorded ClientHello and ClientAuth, replayed to a new session: the server's fresh nonce breaks the proof
    Raw replay = raw(server);
    replay.send(first.helloSent);
    assertEquals(162, replay.take().length);
    assertEquals(AgentError.BAD_SIGNATURE.closeCode(), replay.sendAndAwaitClose(first.authSent));
    assertEquals(refusedBefore + 1, server.refused());

    // a sealed frame sent twice in one session: the second fails to decrypt (counter nonces)
    byte[] chat = first.sealer.seal(new Frame(FrameType.OPEN, 1, "chat".getBytes()).encode());
    first.send(chat);
    assertEquals(AgentError.DECRYPT_FAILED.closeCode(), first.sendAndAwaitClose(chat));

    roundTrip(client().connect(server.endpoint(), b.key()).get(30, SECONDS), "still serving");
  }

  // ---- 3. slow and silent clients ----

  @Test
  void silentClientIsClosedAfterTheHandshakeTimeout() throws Exception {
    Agent b = echoServer(AgentOptions.builder().handshakeTimeout(Duration.ofMillis(300)).build());
    AgentServer server = host(b);
    long t0 = System.nanoTime();
    Raw silent = raw(server);
    assertEquals(AgentError.TIMEOUT.closeCode(), silent.awaitClose());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 250, "closed after " + ms + " ms");

    // half a handshake (hello, then nothing) is timed out too
    Raw half = raw(server);
    half.send(new ClientHandshake(Identity.generate(), b.key(), false).hello());
    assertEquals(162, half.take().length);
    assertEquals(AgentError.TIMEOUT.closeCode(), half.awaitClose());
    assertEquals(2, server.refused());

    roundTrip(client().connect(server.endpoint(), b.key()).get(30, SECONDS), "prompt");
  }

  @Test
  void idleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    Agent b = echoServer(AgentOptions.builder().idleTimeout(Duration.ofMillis(300)).build());
    AgentServer server = host(b);
    // the client gossips once on connect and then stays silent (its gossip interval is 30 s)
    AgentConnection quiet = client().connect(server.endpoint(), b.key()).get(30, SECONDS);
    long t0 = System.nanoTime();
    assertEquals(AgentError.TIMEOUT, quiet.closed().get(5, SECONDS));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 200, "closed after " + ms + " ms");

    // a raw client that completes the handshake and says nothing more
    Raw raw = handshaken(server, b.key());
    assertEquals(AgentError.TIMEOUT.closeCode(), raw.awaitClose());
  }

  // ---- 4. connection limits ----

  @Test
  void connectionOverTheServerLimitIsRefusedWhileTheOthersWork() throws Exception {
    Agent b = echoServer(AgentOptions.builder().maxConnections(2).build());
    AgentServer server = host(b);
    Agent a = client();
    AgentConnection one = a.connect(server.endpoint(), b.key()).get(30, SECONDS);
    AgentConnection two = a.connect(server.endpoint(), b.key()).get(30, SECONDS);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> a.connect(server.endpoint(), b.key()).get(30, SECONDS));
    assertEquals(AgentError.TOO_MANY_CONNECTIONS, ((AgentException) e.getCause()).code());
    assertEquals(AgentError.TOO_MANY_CONNECTIONS.closeCode(), raw(server).awaitClose());
    roundTrip(one, "one");
    roundTrip(two, "two");
    assertEquals(2, server.openConnections());
  }

  @Test
  void aRefusalThatComesWithTheUpgradesAnswerIsReportedWithItsCode() throws Exception {
    // A server at its limit answers the upgrade and closes in one write, as AgentServer may. Whether Vert.x sees the
    // close before or after it completes the connect (then it fails the connect and never calls the close handler),
    // the dialler must say why it was refused, not that it could not reach the server.
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    io.vertx.core.net.NetServer refusing = vertx.createNetServer().connectHandler(socket -> {
      StringBuilder request = new StringBuilder();
      socket.handler(buf -> {
        request.append(buf.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
        if (!request.toString().contains("\r\n\r\n")) {
          return;
        }
        String key = request.toString().lines().filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
            .findFirst().orElseThrow().substring(18).trim();
        String accept;
        try {
          accept = b64.encodeToString(MessageDigest.getInstance("SHA-1").digest(
              (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
        short code = AgentError.TOO_MANY_CONNECTIONS.closeCode();
        Buffer answer = Buffer.buffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n");
        answer.appendBytes(new byte[] {(byte) 0x88, 2, (byte) (code >> 8), (byte) code});
        socket.end(answer);
      });
    });
    int port = refusing.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, SECONDS)
        .actualPort();
    try {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> client().connect("ws://127.0.0.1:" + port + "/", Identity.generate().publicKey()).get(30, SECONDS));
      assertEquals(AgentError.TOO_MANY_CONNECTIONS, ((AgentException) e.getCause()).code());
    } finally {
      refusing.close();
    }
  }

  @Test
  void connectionsPerRemoteAddressAreLimited() throws Exception {
    Agent b = echoServer(AgentOptions.builder().maxConnectionsPerAddress(2).build());
    AgentServer server = host(b);
    Agent a = client();
    AgentConnection one = a.connect(server.endpoint(), b.key()).get(30, SECONDS);
    Raw two = handshaken(server, b.key());
    // a third from 127.0.0.1 is refused, with the same code as the server-wide limit
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> a.connect(server.endpoint(), b.key()).get(30, SECONDS));
    assertEquals(AgentError.TOO_MANY_CONNECTIONS, ((AgentException) e.getCause()).code());
    // another address is not affected
    WebSocketClient other = vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress("127.0.0.2"));
    try {
      Raw fromOther = Raw.connect(other, server.port());
      fromOther.handshake(new ClientHandshake(Identity.generate(), b.key(), false));
    } finally {
      other.close();
    }
    roundTrip(one, "one");
    // a slot is given back when a connection closes
    two.ws.close();
    two.awaitClose();
    AgentConnection again = awaitValue(() -> a.connect(server.endpoint(), b.key()));
    roundTrip(again, "again");
  }

  // ---- 5. backpressure ----

  @Test
  void pausedReceiverPausesTheFileSenderInsteadOfQueueing() throws Exception {
    AtomicLong received = new AtomicLong();
    CompletableFuture<ServiceStream> paused = new CompletableFuture<>();
    // a files service that stops reading at the header and answers END with the SHA-256 of what it got
    Service slowSink = s -> {
      MessageDigest sha = sha256();
      boolean[] header = {true};
      s.handler(b -> {
        if (header[0]) {
          header[0] = false;
          s.pause();
          paused.complete(s);
          return;
        }
        received.addAndGet(b.length);
        sha.update(b);
      });
      s.endHandler(t -> s.end(sha.digest()));
    };
    Agent b = agent(Map.of(Services.FILES, slowSink), AgentOptions.defaults());
    AgentServer server = host(b);
    AgentConnection conn = client().connect(server.endpoint(), b.key()).get(30, SECONDS);

    long size = 48L << 20;
    Path file = dir.resolve("slow.bin");
    byte[] expected = writeRandom(file, size);
    CompletableFuture<FileReceipt> receipt = conn.sendFile(file);
    ServiceStream sink = paused.get(30, SECONDS);
    // the sender's file reader parks until the send queue drains: it is not reading the file into memory
    await(() -> conn.drainWaiters() > 0, "sender paused by a full send queue");
    long inFlight = conn.bytesSent() - received.get();
    System.out.printf("paused receiver: sender stopped with %d KiB in flight of %d KiB%n", inFlight / 1024,
        size / 1024);
    assertTrue(inFlight < 24L << 20, inFlight + " bytes in flight");
    assertTrue(conn.bytesSent() < size, "the whole file was queued");

    sink.resume();
    FileReceipt done = receipt.get(60, SECONDS);
    assertEquals(HexFormat.of().formatHex(expected), done.sha256());
    assertEquals(size, received.get());
    Files.delete(file);
  }

  // ---- 6. no listening leak ----

  @Test
  void failedHostPublishStopsListening() throws Exception {
    Agent b = echoServer(AgentOptions.defaults());
    b.resolver().closeAsync().get(30, SECONDS); // publishing HOST now fails
    int port = freePortBelowTheEphemeralRange();
    ExecutionException e = assertThrows(ExecutionException.class, () -> b.host(nextNumber(), port).get(30, SECONDS));
    assertTrue(e.getCause() instanceof org.dialtone.resolver.ResolverException, e.getCause().toString());
    // The JDK closes a listening socket registered with a selector only when the selector next deregisters it,
    // so the port may take a few milliseconds after the failure to refuse (seen: 1 run in 40, up to 6 ms).
    await(() -> refusesConnections(port), "port " + port + " no longer listening");
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress("127.0.0.1", port));
    }
  }

  // ---- helpers ----

  Agent agent(Map<String, Service> services, AgentOptions options) {
    Agent a = Agent.start(vertx, net.addClient(), Identity.generate(), AgentProfile.named("agent"), services,
        options);
    agents.add(a);
    return a;
  }

  Agent echoServer(AgentOptions options) {
    Agent b = agent(Map.of(Services.CHAT, Services.chat()), options);
    b.onConnection(c -> c.onChat(t -> c.chat("echo: " + t)));
    return b;
  }

  Agent client() {
    return agent(Map.of(Services.CHAT, Services.chat()), AgentOptions.defaults());
  }

  static AgentServer host(Agent a) throws Exception {
    return a.host(nextNumber()).get(30, SECONDS);
  }

  static synchronized DialNumber nextNumber() {
    return DialNumber.parse("744-196884-" + (70 + numbers++));
  }

  static void roundTrip(AgentConnection c, String text) throws Exception {
    LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
    c.onChat(heard::add);
    c.chat(text);
    assertEquals("echo: " + text, heard.poll(5, SECONDS));
  }

  static Raw raw(AgentServer server) throws Exception {
    return Raw.connect(rawClient, server.port());
  }

  static Raw handshaken(AgentServer server, PublicKey key) throws Exception {
    Raw r = raw(server);
    r.handshake(new ClientHandshake(Identity.generate(), key, false));
    return r;
  }

  /** Waits for {@code condition}, checked every 10 ms on an event loop, for at most 10 s. */
  static void await(BooleanSupplier condition, String what) throws Exception {
    CompletableFuture<Void> met = new CompletableFuture<>();
    long timer = vertx.setPeriodic(10, t -> {
      if (condition.getAsBoolean()) {
        met.complete(null);
      }
    });
    try {
      met.get(30, SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out waiting for: " + what);
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  /** The first success of {@code attempt}, retried while the server may not yet have freed a slot (at most 10 s). */
  static <T> T awaitValue(java.util.function.Supplier<CompletableFuture<T>> attempt) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return attempt.get().get(30, SECONDS);
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline || !(e.getCause() instanceof AgentException a)
            || a.code() != AgentError.TOO_MANY_CONNECTIONS) {
          throw e;
        }
      }
    }
  }

  /**
   * A free port outside the kernel's ephemeral range (32768 and up on Linux), so that no socket elsewhere on the
   * machine, listening on port 0 or dialling out, takes it between this probe and the test's checks.
   */
  static boolean refusesConnections(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (java.io.IOException other) {
      throw new java.io.UncheckedIOException(other);
    }
  }

  static int freePortBelowTheEphemeralRange() throws Exception {
    Random r = new Random();
    for (int i = 0; i < 100; i++) {
      int port = 20_000 + r.nextInt(10_000);
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (java.io.IOException taken) {
        // try another
      }
    }
    throw new AssertionError("no free port in 20000..29999");
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] writeRandom(Path file, long size) throws Exception {
    Random r = new Random(7);
    MessageDigest sha = sha256();
    byte[] chunk = new byte[1 << 20];
    try (var out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= chunk.length) {
        r.nextBytes(chunk);
        sha.update(chunk);
        out.write(chunk);
      }
    }
    return sha.digest();
  }

  /** A bare WebSocket client: what it receives, how it was closed, and the handshake messages it sent. */
  static final class Raw {
    final WebSocket ws;
    final LinkedBlockingQueue<byte[]> in = new LinkedBlockingQueue<>();
    final CompletableFuture<Short> closed = new CompletableFuture<>();
    byte[] helloSent;
    byte[] authSent;
    FrameCipher sealer;

    private Raw(WebSocket ws) {
      this.ws = ws;
    }

    static Raw connect(WebSocketClient client, int port) throws Exception {
      // handlers go on before connecting: a server that refuses at once may close the socket before a connect
      // callback runs, and Vert.x refuses handlers on a closed socket
      ClientWebSocket ws = client.webSocket();
      Raw r = new Raw(ws);
      ws.binaryMessageHandler(b -> r.in.add(b.getBytes()));
      ws.closeHandler(v -> r.closed.complete(ws.closeStatusCode()));
      try {
        ws.connect(port, "127.0.0.1", "/").toCompletionStage().toCompletableFuture().get(30, SECONDS);
      } catch (ExecutionException e) {
        // A server that refuses at once can close the socket before Vert.x completes the connect ("WebSocket is
        // closed", and no close handler runs); the close code, which such a test reads, is still on the socket.
        Short code = EarlyClose.code(ws);
        if (code == null) {
          throw e;
        }
        r.closed.complete(code);
      }
      return r;
    }

    void send(byte[] b) {
      ws.writeBinaryMessage(Buffer.buffer(b));
    }

    byte[] take() throws Exception {
      byte[] b = in.poll(5, SECONDS);
      if (b == null) {
        throw new AssertionError("nothing received in 5 s (closed: " + closed.getNow(null) + ")");
      }
      return b;
    }

    short awaitClose() throws Exception {
      Short code = closed.get(5, SECONDS);
      return code == null ? -1 : code;
    }

    short sendAndAwaitClose(byte[] b) throws Exception {
      send(b);
      return awaitClose();
    }

    /** Runs the client side of the handshake and reads the server's ACCEPT. */
    void handshake(ClientHandshake hs) throws Exception {
      helloSent = hs.hello();
      send(helloSent);
      ClientHandshake.Result r = hs.onServerHello(take());
      authSent = r.clientAuth();
      send(authSent);
      sealer = r.keys().sealer();
      assertEquals(FrameType.ACCEPT, Frame.decode(r.keys().opener().open(take())).type());
    }
  }
}
