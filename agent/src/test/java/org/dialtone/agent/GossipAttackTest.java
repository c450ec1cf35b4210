package org.dialtone.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dialtone.agent.error.AgentError;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dialtone.agent.wire.FrameType;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attack 11 of {@code docs/threats.md} over real connections: a peer that floods digests, and a peer that never reads.
 */
class GossipAttackTest {
  static LocalTestnet net;
  static Vertx vertx;

  @BeforeAll
  static void network() {
    net = LocalTestnet.start(4);
    vertx = net.vertx();
  }

  @AfterAll
  static void down() {
    net.close();
  }

  static Agent agent(String name, AgentOptions options) {
    return Agent.start(vertx, net.addClient(), Identity.generate(), AgentProfile.named(name),
        Map.of(Services.CHAT, Services.chat()), options);
  }

  static AgentConnection dial(Agent from, Agent to) throws Exception {
    String endpoint = to.resolver().request(to.key()).get(30, TimeUnit.SECONDS).endpoints().get(0);
    return from.connect(endpoint, to.key()).get(30, TimeUnit.SECONDS);
  }

  @Test
  void aFloodOfSmallDigestsDrawsOneFullAnswerAndTinyOnes() throws Exception {
    Agent victim = agent("victim", AgentOptions.builder().gossipInterval(Duration.ofHours(1)).build());
    // The victim knows many numbers (its own hosting plus learned records), so a full answer is large.
    victim.host(DialNumber.parse("744-196884-80")).get(30, TimeUnit.SECONDS);
    for (int i = 0; i < 300; i++) {
      victim.learn(org.dialtone.agent.gossip.GossipQuotaTest.host(Identity.generate(), 100 + i, System.currentTimeMillis() / 1000 + 600),
          Identity.generate().publicKey());
    }
    Agent attacker = agent("attacker", AgentOptions.builder().gossipInterval(Duration.ofHours(1)).build());
    AgentConnection c = dial(attacker, victim);
    AgentConnection victimSide = awaitAccepted(victim);
    awaitQuiet(victimSide);
    long before = victimSide.bytesSent();
    byte[] emptyDigest = {0, 0}; // "I know nothing": ask for everything
    int digests = 200;
    for (int i = 0; i < digests; i++) {
      c.send(FrameType.GOSSIP_DIGEST, 0, emptyDigest);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (victimSide.digestsIgnored() < digests - 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long sent = victimSide.bytesSent() - before;
    System.out.printf("attack 11: %d digests of %d bytes drew %d bytes (one full answer, %d ignored with an empty "
        + "offer)%n", digests, emptyDigest.length, sent, victimSide.digestsIgnored());
    assertEquals(digests - 1, victimSide.digestsIgnored(), "one exchange in flight at a time");
    assertTrue(sent < 64 * 1024 + digests * 64, "one full answer at most, the rest tiny: " + sent);
  }

  @Test
  void aPeerThatNeverReadsIsClosedInsteadOfGrowingTheSendQueue() throws Exception {
    AgentOptions quick = AgentOptions.builder().idleTimeout(Duration.ofSeconds(8)).build();
    Agent sender = agent("sender", quick);
    Agent sink = agent("sink", quick);
    sink.host(DialNumber.parse("744-196884-81")).get(30, TimeUnit.SECONDS);
    AgentConnection c = dial(sender, sink);
    AgentConnection sinkSide = awaitAccepted(sink);
    sinkSide.pauseReading(); // the peer stops reading, for good, but keeps talking: the idle timeout never fires
    long keepAlive = vertx.setPeriodic(500, t -> sinkSide.chat("still here"));
    try {
      byte[] chunk = new byte[60_000];
      long limit = 64L << 20; // a writer that ignores backpressure, up to 64 MiB handed to the connection
      long handed = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!c.closed().isDone() && System.nanoTime() < deadline) {
        if (handed < limit) {
          c.send(FrameType.DATA, 1, chunk);
          handed += chunk.length;
        } else {
          Thread.sleep(10);
        }
      }
      assertTrue(c.closed().isDone(), "closed after its send queue stayed full");
      assertEquals(AgentError.TIMEOUT, c.closed().get());
      System.out.printf("attack 11: a peer that never read was closed (send queue full for %d ms) after %d bytes "
          + "were handed to the connection%n", quick.idleTimeout().toMillis() / 4, handed);
    } finally {
      vertx.cancelTimer(keepAlive);
    }
  }

  private static AgentConnection awaitAccepted(Agent a) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (a.connections().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return a.connections().get(0);
  }

  // Waits until the connect-time gossip exchange is over (its answer sent), so the flood meets an idle connection.
  private static void awaitQuiet(AgentConnection c) throws InterruptedException {
    long last = -1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      long now = c.bytesSent();
      if (now == last) {
        Thread.sleep(MIN_SPACING_MILLIS + 200);
        if (c.bytesSent() == now) {
          return;
        }
      }
      last = now;
      Thread.sleep(200);
    }
  }

  private static final long MIN_SPACING_MILLIS = AgentConnection.MIN_DIGEST_SPACING_MILLIS;
}
