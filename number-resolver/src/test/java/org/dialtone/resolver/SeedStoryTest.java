package org.dialtone.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.resolver.NumberEvent.Type;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The seed document's whole story on a 50-node DHT on loopback UDP. Agents are client-mode nodes, as agents behind
 * NAT would be. The steps build on each other and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedStoryTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final DialNumber N23 = DialNumber.parse("744-196884-23");
  private static final DialNumber N29 = DialNumber.parse("744-196884-29");
  private static final DialNumber N31 = DialNumber.parse("744-196884-31");
  private static final DialNumber N47 = DialNumber.parse("744-196884-47");
  private static final DialNumber N53 = DialNumber.parse("744-196884-53");
  private static final DialNumber N200 = DialNumber.parse("744-196884-200");

  private static LocalTestnet net;
  private static final List<DhtNode> clients = new ArrayList<>();
  private static NumberResolver a;
  private static NumberResolver b;
  private static NumberResolver c;
  private static NumberResolver watcher;
  private static final BlockingQueue<NumberEvent> events = new LinkedBlockingQueue<>();

  @BeforeAll
  static void network() {
    net = LocalTestnet.start(50);
    a = agent(AgentProfile.named("Agent A").withInterests("chat"), ResolverConfig.defaults());
    b = agent(AgentProfile.named("Agent B").withInterests("crypto", "games"), ResolverConfig.defaults());
    c = agent(AgentProfile.named("Agent C"), ResolverConfig.defaults());
    watcher = agent(AgentProfile.named("Watcher"), ResolverConfig.defaults());
  }

  @AfterAll
  static void shutdown() {
    for (DhtNode n : clients) {
      n.closeAsync().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
    if (net != null) {
      net.close();
    }
  }

  private static NumberResolver agent(AgentProfile profile, ResolverConfig config) {
    DhtNode node = net.addClient();
    clients.add(node);
    return NumberResolver.create(node, Identity.generate(), profile, config);
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The next event that matches, within the deadline; events that do not match are skipped. */
  private static NumberEvent expectEvent(Predicate<NumberEvent> match, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      NumberEvent e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new AssertionError("no " + what + " within " + WAIT);
      }
      if (match.test(e)) {
        return e;
      }
    }
  }

  private static Predicate<NumberEvent> is(Type type, NumberResolver who) {
    return e -> e.type() == type && e.agent().agent().equals(who.agent());
  }

  @Test
  @Order(1)
  void agentsDialTheirNumbersAndMeetOn23() throws Exception {
    NumberWatch watch = watcher.watch(N23, events::add);
    await(watch.ready());
    await(a.announce(N23));
    await(b.announce(N29));
    await(b.announce(N23));
    await(c.announce(N31));
    await(c.announce(N23));
    for (NumberResolver who : List.of(a, b, c)) {
      expectEvent(is(Type.JOINED, who), "JOINED of " + who.profile().name());
    }
    for (NumberResolver viewer : List.of(a, b, c)) {
      Roster roster = await(viewer.discover(N23));
      assertEquals(List.of("Agent A", "Agent B", "Agent C"), roster.agents().stream().map(AgentInfo::name).toList());
    }
    assertEquals(List.of("Agent B"), await(a.discover(N29)).agents().stream().map(AgentInfo::name).toList());
  }

  @Test
  @Order(2)
  void aSharesFortySevenAndEveryoneOn23HearsIt() throws Exception {
    await(a.share(N47, "try 47", "crypto"));
    NumberEvent shared = expectEvent(is(Type.SHARED, a), "SHARED from A");
    assertEquals(N47, shared.share().orElseThrow().number());
    assertEquals(N47, await(b.discover(N23)).shares().get(0).shares().get(0).number());
    assertEquals(N47, await(c.findShares("crypto")).get(0).number());
  }

  @Test
  @Order(3)
  void bHostsFiftyThreeWithCryptoAndGames() throws Exception {
    await(b.host(N53, List.of("crypto", "games"), "ws://127.0.0.1:8053"));
    Roster roster = await(c.discover(N53));
    assertEquals(List.of("Agent B"), roster.hosts().stream().map(AgentInfo::name).toList());
    assertEquals(List.of("crypto", "games"), roster.services());
  }

  @Test
  @Order(4)
  void cRequestsBAndGetsItsNumbersAndEndpoint() throws Exception {
    AgentInfo found = await(c.request(b.agent()));
    assertTrue(found.numbers().containsAll(List.of(N29, N23, N53)), "numbers: " + found.numbers());
    assertTrue(found.endpoints().contains("ws://127.0.0.1:8053"), "endpoints: " + found.endpoints());
  }

  @Test
  @Order(5)
  void findingByInterestAndByService() throws Exception {
    assertEquals(List.of("Agent B"), await(a.findAgents("crypto")).stream().map(AgentInfo::name).toList());
    await(c.host(N200, List.of("files", "chat"), "ws://127.0.0.1:8200"));
    List<NumberListing> files = await(a.findNumbers("files"));
    assertEquals(List.of(N200), files.stream().map(NumberListing::number).toList());
    assertEquals(List.of(N53), await(a.findNumbers("games")).stream().map(NumberListing::number).toList());
  }

  @Test
  @Order(6)
  void theWatcherOn23HearsALeave() throws Exception {
    await(a.leave(N23));
    expectEvent(is(Type.LEFT, a), "LEFT of A");
    assertEquals(List.of("Agent B", "Agent C"),
        await(b.discover(N23)).agents().stream().map(AgentInfo::name).toList());
  }

  @Test
  @Order(7)
  void anAgentThatCrashesDropsOffAfterItsRecordExpires() throws Exception {
    NumberResolver d = agent(AgentProfile.named("Agent D"), ResolverConfig.builder().presenceTtl(Duration.ofSeconds(3)).build());
    await(d.announce(N23));
    expectEvent(is(Type.JOINED, d), "JOINED of D");
    long crashed = System.nanoTime();
    await(clients.get(clients.size() - 1).closeAsync()); // a crash: no tombstone, no more renewals
    expectEvent(is(Type.LEFT, d), "LEFT of D after its record expired");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (await(b.discover(N23)).agents().stream().anyMatch(x -> x.name().equals("Agent D"))) {
      assertTrue(System.nanoTime() < deadline, "D is still on the roster");
    }
    System.out.printf(Locale.ROOT, "crashed agent reported LEFT and gone from the roster %.1f s after the crash%n",
        (System.nanoTime() - crashed) / 1e9);
  }

  @Test
  @Order(8)
  void bootstrapNodesAreFoundOnShardZero() throws Exception {
    NumberResolver operator = agent(AgentProfile.named("bootstrap-0"), ResolverConfig.defaults());
    await(operator.announceBootstrap(net.node(0).address()));
    assertEquals(List.of(net.node(0).address()), await(c.bootstrapNodes()));
  }
}
