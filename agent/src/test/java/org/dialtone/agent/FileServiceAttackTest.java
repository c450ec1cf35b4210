package org.dialtone.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attack 12 of {@code docs/threats.md}: fresh keys sending files without end, over real sockets and real files. */
class FileServiceAttackTest {
  static LocalTestnet net;
  static Vertx vertx;
  @TempDir static Path dir;
  static int nextNumber = 700;

  @BeforeAll
  static void network() {
    net = LocalTestnet.start(5);
    vertx = net.vertx();
  }

  @AfterAll
  static void down() {
    net.close();
  }

  static Agent agent(String name, Map<String, Service> services) {
    return Agent.start(vertx, net.addClient(), Identity.generate(), AgentProfile.named(name), services,
        AgentOptions.defaults());
  }

  /** A host with a files service under {@code policy}, on a number of its own; returns the host and its inbox. */
  static Agent host(FilePolicy policy, LinkedBlockingQueue<ReceivedFile> received) throws Exception {
    Path inbox = Files.createDirectories(dir.resolve("inbox-" + nextNumber));
    Agent host = agent("host", Map.of(Services.FILES, Services.files(inbox, policy, received::add)));
    host.host(DialNumber.parse("744-196884-" + nextNumber++)).get(30, TimeUnit.SECONDS);
    return host;
  }

  static AgentConnection dial(Agent from, Agent to) throws Exception {
    String endpoint = to.resolver().request(to.key()).get(30, TimeUnit.SECONDS).endpoints().get(0);
    return from.connect(endpoint, to.key()).get(30, TimeUnit.SECONDS);
  }

  static Path file(String name, int size) throws Exception {
    Path p = dir.resolve(name);
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return Files.write(p, b);
  }

  static AgentError refusal(CompletableFuture<FileReceipt> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    return assertInstanceOf(AgentException.class, e.getCause()).code();
  }

  @Test
  void freshKeysSendingFilesWithoutEndMeetTheTotalAndPerPeerQuotas() throws Exception {
    LinkedBlockingQueue<ReceivedFile> received = new LinkedBlockingQueue<>();
    Agent host = host(FilePolicy.defaults().withMaxBytesPerPeer(1 << 20).withMaxTotalBytes(3 << 19)
        .withMinFreeBytes(0), received);
    Path f600k = file("600k.bin", 600 << 10);
    // One key, twice: the second is over its 1 MiB.
    Agent a = agent("A", Map.of());
    AgentConnection ca = dial(a, host);
    ca.sendFile(f600k).get(30, TimeUnit.SECONDS);
    assertEquals(AgentError.QUOTA_EXCEEDED, refusal(ca.sendFile(f600k)));
    // Fresh keys, one file each: the 1.5 MiB in total holds one more, then nothing.
    int accepted = 1;
    List<AgentError> refused = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      AgentConnection c = dial(agent("fresh " + i, Map.of()), host);
      try {
        c.sendFile(f600k).get(30, TimeUnit.SECONDS);
        accepted++;
      } catch (ExecutionException e) {
        refused.add(assertInstanceOf(AgentException.class, e.getCause()).code());
      }
    }
    long bytesOnDisk;
    try (var files = Files.list(received.peek().path().getParent())) {
      bytesOnDisk = files.mapToLong(p -> p.toFile().length()).sum();
    }
    System.out.printf("attack 12: 1 key x 2 files + 4 fresh keys x 1 file of 600 KiB: %d accepted, %d refused %s; "
        + "%d bytes on disk (quota 1.5 MiB)%n", accepted, refused.size() + 1, refused, bytesOnDisk);
    assertEquals(2, accepted);
    assertEquals(List.of(AgentError.QUOTA_EXCEEDED, AgentError.QUOTA_EXCEEDED, AgentError.QUOTA_EXCEEDED), refused);
    assertEquals(2 * (600 << 10), bytesOnDisk, "nothing of a refused file was written");
  }

  @Test
  void concurrentStreamsFreeSpaceAndTheAllowlistAreEnforced() throws Exception {
    Path big = file("8m.bin", 8 << 20);
    Path small = file("1k.bin", 1 << 10);
    // One file at a time.
    Agent one = host(FilePolicy.defaults().withMaxConcurrentStreams(1).withMinFreeBytes(0),
        new LinkedBlockingQueue<>());
    Agent a = agent("A", Map.of());
    AgentConnection c = dial(a, one);
    CompletableFuture<FileReceipt> first = c.sendFile(big);
    CompletableFuture<FileReceipt> second = c.sendFile(big);
    assertEquals(AgentError.QUOTA_EXCEEDED, refusal(second));
    assertEquals(8 << 20, first.get(60, TimeUnit.SECONDS).size());
    c.sendFile(small).get(30, TimeUnit.SECONDS); // the stream is free again

    // Free space: a host that must keep more free than any disk has refuses before writing.
    Agent full = host(FilePolicy.defaults().withMinFreeBytes(Long.MAX_VALUE / 2), new LinkedBlockingQueue<>());
    assertEquals(AgentError.QUOTA_EXCEEDED, refusal(dial(a, full).sendFile(small)));

    // The allowlist: A only.
    Agent picky = host(FilePolicy.defaults().withMinFreeBytes(0).withAllowedPeers(Set.of(a.key())),
        new LinkedBlockingQueue<>());
    Agent stranger = agent("stranger", Map.of());
    assertEquals(AgentError.NOT_ALLOWED, refusal(dial(stranger, picky).sendFile(small)));
    assertTrue(dial(a, picky).sendFile(small).get(30, TimeUnit.SECONDS).size() > 0);
  }
}
