package org.dialtone.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Agent#useLan}: a number's hosts found on the LAN as well as in the DHT, over real sockets on loopback, with
 * an in-memory LAN (what mDNS would answer; the mDNS side is tested in bootstrap-node and the testbed). What the LAN
 * says is a hint: a forged answer is refused by the handshake, pins nothing, and cannot override the DHT's records.
 */
class LanHostsTest {
  static LocalTestnet net;
  static Vertx vertx;

  /** A LAN in memory: what each advert says, plus answers an attacker adds. */
  static final class FakeLan implements LanHosts {
    final Map<DialNumber, List<LanHost>> answers = new ConcurrentHashMap<>();
    final List<DialNumber> asked = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<List<LanHost>> find(DialNumber number) {
      asked.add(number);
      return CompletableFuture.completedFuture(List.copyOf(answers.getOrDefault(number, List.of())));
    }

    @Override
    public AutoCloseable advertise(DialNumber number, PublicKey key, int port) {
      LanHost h = new LanHost(key, "ws://127.0.0.1:" + port);
      answers.computeIfAbsent(number, n -> new CopyOnWriteArrayList<>()).add(h);
      return () -> answers.get(number).remove(h);
    }

    void forge(DialNumber number, PublicKey key, String endpoint) {
      answers.computeIfAbsent(number, n -> new CopyOnWriteArrayList<>()).add(new LanHost(key, endpoint));
    }
  }

  @BeforeAll
  static void network() {
    net = LocalTestnet.start(5);
    vertx = net.vertx();
  }

  @AfterAll
  static void down() {
    net.close();
  }

  static Agent agent(String name, FakeLan lan) {
    return Agent.start(vertx, net.addClient(), Identity.generate(), AgentProfile.named(name),
        // a handshake on a loaded machine may take seconds; what is tested is which key answers, not how fast
        Map.of(Services.CHAT, Services.chat()), AgentOptions.builder().handshakeTimeout(Duration.ofSeconds(20)).build())
        .useLan(lan);
  }

  static AgentException failure(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    return assertInstanceOf(AgentException.class, e.getCause());
  }

  @Test
  void aLanOnlyHostIsDialledByNumberProvedAndNotPinned() throws Exception {
    DialNumber n = DialNumber.parse("744-196884-61");
    FakeLan lan = new FakeLan();
    Agent b = agent("Agent B", lan);
    Agent a = agent("Agent A", lan);
    AgentServer server = b.hostOnLan(n, 0).get(30, TimeUnit.SECONDS);
    assertTrue(b.hosts(n).get(30, TimeUnit.SECONDS).isEmpty(), "nothing published in the DHT");
    AgentConnection c = a.connect(n).get(30, TimeUnit.SECONDS);
    assertEquals(b.key(), c.peer());
    assertEquals(ConnectionPath.DIRECT, c.path());
    assertTrue(a.knownHosts().trusted(n).isEmpty(), "a LAN answer alone pins nothing");
    server.closeAsync().get(30, TimeUnit.SECONDS);
    assertTrue(lan.answers.get(n).isEmpty(), "a stopped server no longer answers on the LAN");
    assertEquals(AgentError.NOT_FOUND, failure(a.connect(n)).code());
    a.close();
    b.close();
  }

  @Test
  void aForgedLanAnswerIsRefusedByTheHandshakeAndPinsNothing() throws Exception {
    DialNumber n = DialNumber.parse("744-196884-62");
    FakeLan lan = new FakeLan();
    Agent b = agent("Agent B", lan);
    Agent a = agent("Agent A", lan);
    AgentServer server = b.hostOnLan(n, 0).get(30, TimeUnit.SECONDS);
    lan.answers.get(n).clear(); // the real answer lost; the attacker's says another key at B's endpoint
    PublicKey mallory = Identity.generate().publicKey();
    lan.forge(n, mallory, server.endpoint().replace("0.0.0.0", "127.0.0.1"));
    lan.forge(n, mallory, "ws://127.0.0.1:" + server.port());
    assertEquals(AgentError.WRONG_KEY, failure(a.connect(n)).code());
    assertTrue(a.knownHosts().trusted(n).isEmpty());
    assertTrue(a.connections().isEmpty());
    server.closeAsync().get(30, TimeUnit.SECONDS);
    a.close();
    b.close();
  }

  @Test
  void theDhtsRecordsOverruleALanAnswerAndATrustedKeyIsDialledOnTheLan() throws Exception {
    DialNumber n = DialNumber.parse("744-196884-63");
    FakeLan lan = new FakeLan();
    Agent b = agent("Agent B", new FakeLan()); // B publishes in the DHT; its LAN answers are on another LAN
    Agent mallory = agent("Mallory", lan); // Mallory answers on A's LAN only
    Agent a = agent("Agent A", lan);
    AgentServer bServer = b.host(n).get(30, TimeUnit.SECONDS);
    AgentServer mServer = mallory.hostOnLan(n, 0).get(30, TimeUnit.SECONDS);
    assertEquals(b.key(), a.connect(n).get(30, TimeUnit.SECONDS).peer(), "the DHT's only host, not the LAN's");
    assertEquals(b.key(), a.knownHosts().trusted(n).orElseThrow().key(), "and only the DHT's host is pinned");
    assertEquals(0, mallory.connections().size(), "Mallory's endpoint was never dialled");

    // B now also answers on A's LAN: the trusted key is dialled there; Mallory's answer still changes nothing.
    lan.forge(n, b.key(), "ws://127.0.0.1:" + bServer.port());
    bServer.closeAsync().get(30, TimeUnit.SECONDS); // gone from the DHT (LEFT) ...
    AgentServer bAgain = b.hostOnLan(n, 0).get(30, TimeUnit.SECONDS); // ... back on the LAN only, a new port
    lan.answers.get(n).removeIf(h -> h.key().equals(b.key()));
    lan.forge(n, b.key(), "ws://127.0.0.1:" + bAgain.port());
    awaitNoDhtHost(a, n);
    assertEquals(b.key(), a.connect(n).get(30, TimeUnit.SECONDS).peer(), "the trusted key, found on the LAN");
    assertEquals(0, mallory.connections().size());

    // Only Mallory answers: the trusted key is absent, so nothing is dialled.
    lan.answers.get(n).removeIf(h -> h.key().equals(b.key()));
    assertEquals(AgentError.NOT_FOUND, failure(a.connect(n)).code());
    assertEquals(0, mallory.connections().size());
    List<AutoCloseable> toClose = new ArrayList<>(List.of(bAgain, mServer, a, b, mallory));
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  @Test
  void twoKeysOnTheLanAndNoneInTheDhtAreAmbiguous() throws Exception {
    DialNumber n = DialNumber.parse("744-196884-64");
    FakeLan lan = new FakeLan();
    Agent b = agent("Agent B", lan);
    Agent c = agent("Agent C", lan);
    Agent a = agent("Agent A", lan);
    AgentServer bs = b.hostOnLan(n, 0).get(30, TimeUnit.SECONDS);
    AgentServer cs = c.hostOnLan(n, 0).get(30, TimeUnit.SECONDS);
    AgentException e = failure(a.connect(n));
    assertEquals(AgentError.AMBIGUOUS_HOST, e.code());
    assertTrue(e.getMessage().contains(b.key().toHex()) && e.getMessage().contains(c.key().toHex()), e.getMessage());
    for (AutoCloseable x : List.of(bs, cs, a, b, c)) {
      x.close();
    }
  }

  private static void awaitNoDhtHost(Agent a, DialNumber n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!a.hosts(n).get(30, TimeUnit.SECONDS).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the HOST record of " + n + " is still in the DHT after LEFT");
      }
      Thread.sleep(100);
    }
  }
}
