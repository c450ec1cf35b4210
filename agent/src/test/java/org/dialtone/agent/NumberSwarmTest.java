package org.dialtone.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Agent#join}: a room on a number on a real loopback DHT, with real sockets. */
class NumberSwarmTest {
  static LocalTestnet net;
  static Vertx vertx;
  private final List<Agent> agents = new ArrayList<>();

  @BeforeAll
  static void network() {
    net = LocalTestnet.start(16);
    vertx = net.vertx();
  }

  @AfterAll
  static void down() {
    net.close();
  }

  @AfterEach
  void closeAgents() {
    agents.forEach(Agent::close);
  }

  private Agent agent(String name) {
    Agent a = Agent.start(vertx, net.addClient(), Identity.generate(), AgentProfile.named(name),
        Map.of(Services.CHAT, Services.chat()), AgentOptions.defaults());
    agents.add(a);
    return a;
  }

  private static JoinOptions quick(int maxPeers, Duration answerWait) {
    return JoinOptions.builder().maxPeers(maxPeers).answerWait(answerWait).retryMax(Duration.ofSeconds(2))
        .refreshInterval(Duration.ofSeconds(2)).build();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what);
      Thread.sleep(50); // polling a condition, with a deadline
    }
  }

  private static Set<PublicKey> peerKeys(NumberSwarm s) {
    return s.peers().stream().map(AgentConnection::peer).collect(Collectors.toSet());
  }

  private static long connectionsTo(Agent a, PublicKey peer) {
    return a.connections().stream().filter(c -> c.peer().equals(peer) && !c.closed().isDone()).count();
  }

  @Test
  void everyMemberEndsConnectedToEveryOtherOnceAndTheRoomChats() throws Exception {
    DialNumber room = DialNumber.parse("744-196884-61");
    List<NumberSwarm> swarms = new ArrayList<>();
    Map<PublicKey, List<String>> heard = new ConcurrentHashMap<>();
    for (int i = 0; i < 5; i++) {
      Agent a = agent("member " + i);
      List<String> mine = java.util.Collections.synchronizedList(new ArrayList<>());
      heard.put(a.key(), mine);
      NumberSwarm s = a.join(room, quick(32, Duration.ofSeconds(1))).get(60, TimeUnit.SECONDS);
      s.onPeer(c -> c.onChat(mine::add));
      swarms.add(s);
    }
    for (NumberSwarm s : swarms) {
      await(() -> s.peers().size() == 4, "every member reaches the 4 others; " + s.peers().size());
    }
    for (int i = 0; i < agents.size(); i++) {
      Set<PublicKey> others = agents.stream().map(Agent::key).collect(Collectors.toSet());
      others.remove(agents.get(i).key());
      NumberSwarm s = swarms.get(i);
      await(() -> others.equals(peerKeys(s)), "connected to every other member: " + peerKeys(s));
      for (PublicKey other : others) {
        Agent a = agents.get(i);
        await(() -> connectionsTo(a, other) == 1, "one connection per pair, not one each way");
      }
      swarms.get(i).peers().forEach(c -> assertEquals(ConnectionPath.DIRECT, c.path()));
    }
    swarms.get(0).peers().forEach(c -> c.chat("hello room"));
    for (int i = 1; i < agents.size(); i++) {
      List<String> got = heard.get(agents.get(i).key());
      await(() -> got.contains("hello room"), "every member heard the room");
    }
  }

  @Test
  void whenBothSidesCallAtOnceOneConnectionPerPairRemains() throws Exception {
    DialNumber room = DialNumber.parse("744-196884-62");
    List<NumberSwarm> swarms = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      swarms.add(agent("eager " + i).join(room, quick(32, Duration.ZERO)).get(60, TimeUnit.SECONDS));
    }
    for (NumberSwarm s : swarms) {
      await(() -> s.peers().size() == 3, "every member reaches the 3 others");
    }
    for (Agent a : agents) {
      for (Agent b : agents) {
        if (a != b) {
          await(() -> connectionsTo(a, b.key()) == 1, "duplicates closed, the smaller key's call kept");
        }
      }
    }
  }

  @Test
  void theCapHoldsAndAMemberWhoLeavesIsLetGo() throws Exception {
    DialNumber room = DialNumber.parse("744-196884-63");
    NumberSwarm capped = agent("capped").join(room, quick(2, Duration.ofSeconds(1))).get(60, TimeUnit.SECONDS);
    List<NumberSwarm> others = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      others.add(agent("other " + i).join(room, quick(32, Duration.ofSeconds(1))).get(60, TimeUnit.SECONDS));
    }
    await(() -> others.stream().allMatch(s -> s.peers().size() >= 3), "the uncapped reach each other");
    await(() -> capped.peers().size() == 2, "the capped member keeps 2");
    // give the others time to try: the cap must hold against their calls, not just its own
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() < until) {
      assertTrue(capped.peers().size() <= 2, "the cap holds: " + capped.peers().size());
      Thread.sleep(100);
    }
    NumberSwarm leaving = others.get(0);
    PublicKey gone = agents.get(1).key(); // agents: capped, then the others in order
    leaving.leave().get(30, TimeUnit.SECONDS);
    for (NumberSwarm s : others.subList(1, others.size())) {
      await(() -> !peerKeys(s).contains(gone), "a member that left is let go");
    }
  }
}
