package org.dialtone.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's story on loopback, ending in direct connections: B hosts 53 with chat and files, A dials 53. */
class AgentConnectionTest {
  static final DialNumber N23 = DialNumber.parse("744-196884-23");
  static final DialNumber N53 = DialNumber.parse("744-196884-53");
  static final DialNumber N59 = DialNumber.parse("744-196884-59");

  static LocalTestnet net;
  static Vertx vertx;
  @TempDir static Path dir;

  @BeforeAll
  static void network() {
    net = LocalTestnet.start(20);
    vertx = net.vertx();
  }

  @AfterAll
  static void down() {
    net.close();
  }

  static Agent agent(String name, LinkedBlockingQueue<ReceivedFile> files) throws Exception {
    DhtNode node = net.addClient();
    Path inbox = Files.createDirectories(dir.resolve(name));
    return Agent.start(vertx, node, Identity.generate(), AgentProfile.named(name),
        Map.of(Services.CHAT, Services.chat(), Services.FILES, Services.files(inbox, files::add)),
        AgentOptions.defaults().withGossipInterval(Duration.ofMillis(300)));
  }

  @Test
  void seedStoryEndsInADirectEncryptedConnection() throws Exception {
    LinkedBlockingQueue<ReceivedFile> bFiles = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<String> bHeard = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<String> aHeard = new LinkedBlockingQueue<>();
    Agent a = agent("Agent A", new LinkedBlockingQueue<>());
    Agent b = agent("Agent B", bFiles);
    Agent c = agent("Agent C", new LinkedBlockingQueue<>());
    b.onConnection(conn -> conn.onChat(text -> {
      bHeard.add(text);
      conn.chat("B got: " + text);
    }));
    host(a, N23, 0);
    AgentServer bServer = host(b, N53, 0);
    host(c, N59, 0);

    AgentConnection ab = a.connect(N53).get(30, TimeUnit.SECONDS);
    ab.onChat(aHeard::add);
    assertEquals(b.key(), ab.peer());
    ab.chat("hello B, this is A");
    assertEquals("hello B, this is A", bHeard.poll(10, TimeUnit.SECONDS));
    assertEquals("B got: hello B, this is A", aHeard.poll(10, TimeUnit.SECONDS));

    // an unknown service: an error frame, the connection stays up
    ServiceStream games = ab.open("games").get(10, TimeUnit.SECONDS);
    CompletableFuture<AgentException> refused = new CompletableFuture<>();
    games.errorHandler(refused::complete);
    assertEquals(AgentError.UNKNOWN_SERVICE, refused.get(10, TimeUnit.SECONDS).code());
    ab.chat("still here");
    assertEquals("still here", bHeard.poll(10, TimeUnit.SECONDS));

    // gossip: B-C and C-A connections spread 23, 53, 59 to everyone ("Time 4: all agents know all numbers")
    b.connect(N59).get(30, TimeUnit.SECONDS);
    c.connect(a.key()).get(30, TimeUnit.SECONDS);
    Set<DialNumber> all = Set.of(N23, N53, N59);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!(a.knownNumbers().containsAll(all) && b.knownNumbers().containsAll(all)
        && c.knownNumbers().containsAll(all)) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(a.knownNumbers().containsAll(all), "A knows " + a.knownNumbers());
    assertTrue(b.knownNumbers().containsAll(all), "B knows " + b.knownNumbers());
    assertTrue(c.knownNumbers().containsAll(all), "C knows " + c.knownNumbers());

    // 200 MB, streamed, heap bounded
    Path big = dir.resolve("big.bin");
    byte[] expected = writeRandom(big, 200L << 20);
    long heapBefore = usedHeap();
    long t0 = System.nanoTime();
    FileReceipt receipt = ab.sendFile(big).get(120, TimeUnit.SECONDS);
    ReceivedFile got = bFiles.poll(10, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long heapAfter = usedHeap();
    assertEquals(HexFormat.of().formatHex(expected), receipt.sha256());
    assertEquals(receipt.sha256(), got.sha256());
    assertEquals(200L << 20, Files.size(got.path()));
    assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(sha256(got.path())));
    long growth = heapAfter - heapBefore;
    System.out.printf("200 MiB transfer: %.1f s (%.0f MiB/s), heap growth %d KiB%n", seconds, 200 / seconds,
        growth / 1024);
    assertTrue(growth < 32L << 20, "heap grew by " + growth + " bytes");
    Files.delete(got.path());
    Files.delete(big);

    // a third agent listening on B's old endpoint without B's key is refused
    bServer.closeAsync().get(30, TimeUnit.SECONDS);
    Agent squatter = agent("Squatter", new LinkedBlockingQueue<>());
    AgentServer stale = host(squatter, DialNumber.parse("744-196884-60"), bServer.port());
    assertEquals(bServer.port(), stale.port());
    CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        () -> a.connect(bServer.endpoint(), b.key()).join());
    assertEquals(AgentError.WRONG_KEY, ((AgentException) e.getCause()).code());

    for (Agent x : List.of(a, b, c, squatter)) {
      x.closeAsync().get(30, TimeUnit.SECONDS);
    }
  }

  static AgentServer host(Agent agent, DialNumber n, int port) throws Exception {
    return agent.host(n, port).get(30, TimeUnit.SECONDS);
  }

  static byte[] writeRandom(Path file, long size) throws Exception {
    Random r = new Random(53);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= chunk.length) {
        r.nextBytes(chunk);
        sha.update(chunk);
        out.write(chunk);
      }
    }
    return sha.digest();
  }

  static byte[] sha256(Path file) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 20];
    try (var in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
    }
    return sha.digest();
  }

  static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
