package org.dialtone.node.cli;

import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dialtone.agent.Agent;
import org.dialtone.agent.AgentConnection;
import org.dialtone.agent.AgentOptions;
import org.dialtone.agent.AgentServer;
import org.dialtone.agent.Services;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.DhtNodes;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.node.runner.NodeRunner;
import org.dialtone.node.runner.NodeSettings;
import org.dialtone.node.log.StructuredLog;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberListing;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.NumberWatch;
import org.dialtone.resolver.Roster;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dialtone demo}: the seed's story on a small network on loopback, in a few seconds, leaving nothing running.
 * Three bootstrap nodes (with gateways, data in a temporary directory that is deleted) and a few more DHT nodes;
 * agents A, B and C as light clients (A and B are full agents of the agent module, so they can talk directly); a
 * watcher. The story: A, B and C dial 23, 29 and 31 and meet on 23; A shares 47; B hosts 53 with crypto and games;
 * C requests B; find by interest and by service; the gateway answers; C leaves; A connects to B and they chat.
 */
@Command(name = "demo", description = "Runs the seed's story on a small local network on 127.0.0.1, then exits.")
public final class DemoCommand implements Callable<Integer> {
  private static final DialNumber N23 = DialNumber.parse("744-196884-23");
  private static final DialNumber N29 = DialNumber.parse("744-196884-29");
  private static final DialNumber N31 = DialNumber.parse("744-196884-31");
  private static final DialNumber N47 = DialNumber.parse("744-196884-47");
  private static final DialNumber N53 = DialNumber.parse("744-196884-53");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Option(names = "--nodes", defaultValue = "8", description = "DHT nodes, bootstrap nodes included (default: 8)")
  int nodes;

  @Option(names = "--log-level", defaultValue = "WARN", description = "ERROR, WARN, INFO, DEBUG (default: WARN)")
  String logLevel;

  @Spec CommandSpec spec;

  private PrintWriter out;
  // Closed in this order, each group in parallel: agents leave while the network is up, then the bootstrap nodes
  // leave 744-196884-0 and flush, then the other nodes stop.
  private final List<java.util.function.Supplier<CompletableFuture<Void>>> agents = new ArrayList<>();
  private final List<NodeRunner> runners = new ArrayList<>();
  private final List<DhtNode> dhtNodes = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    StructuredLog.configure(logLevel, System.err);
    out = spec.commandLine().getOut();
    if (nodes < 3 || nodes > 50) {
      throw new CliError("BAD_OPTION", "--nodes must be 3..50", CliError.EXIT_USAGE);
    }
    long start = System.nanoTime();
    Vertx vertx = Vertx.vertx();
    Path data = Files.createTempDirectory("dialtone-demo");
    try {
      story(vertx, data);
    } finally {
      long stopping = System.nanoTime();
      stopAll(vertx, data);
      say("");
      say("stopped every node and agent in %.1f s", (System.nanoTime() - stopping) / 1e9);
    }
    say("done in %.1f s.", (System.nanoTime() - start) / 1e9);
    return 0;
  }

  private void stopAll(Vertx vertx, Path data) {
    await(agents.stream().map(java.util.function.Supplier::get).toList());
    await(runners.stream().map(r -> CompletableFuture.runAsync(r::close)).toList());
    await(dhtNodes.stream().map(DhtNode::closeAsync).toList());
    await(List.of(vertx.close().toCompletionStage().toCompletableFuture()));
    deleteTree(data);
  }

  private static void await(List<? extends CompletableFuture<?>> fs) {
    try {
      CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort: everything is closed below or when the process exits
    }
  }

  private void story(Vertx vertx, Path data) throws Exception {
    say("== a network on 127.0.0.1");
    List<NodeRunner> boot = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<PeerAddress> seeds = boot.isEmpty() ? List.of() : List.of(boot.get(0).node().address());
      NodeRunner r = NodeRunner.start(new NodeSettings("127.0.0.1", 0, 0, data.resolve("boot" + i), seeds,
          Optional.empty(), NodeSettings.DEFAULT_FLUSH_INTERVAL), vertx);
      runners.add(r);
      r.node().ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      boot.add(r);
      say("bootstrap node %d  %s  udp %s  http 127.0.0.1:%d", i + 1, r.node().id().toHex().substring(0, 8),
          r.node().address(), r.httpPort());
    }
    List<PeerAddress> seeds = boot.stream().map(r -> r.node().address()).toList();
    List<CompletableFuture<Void>> joining = new ArrayList<>();
    for (int i = 3; i < nodes; i++) {
      DhtNode n = DhtNodes.startUdp(vertx, DhtConfig.defaults(), Identity.generate(), "127.0.0.1", 0)
          .get(10, TimeUnit.SECONDS);
      dhtNodes.add(n);
      joining.add(n.bootstrap(seeds));
    }
    CompletableFuture.allOf(joining.toArray(new CompletableFuture<?>[0])).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    say("%d more DHT nodes joined through them", nodes - 3);
    for (NodeRunner r : boot) { // each hosts 744-196884-0; wait for them to be there
      r.resolver().announceBootstrap(r.node().address()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    NumberResolver watcher = agent(vertx, seeds, AgentProfile.named("Watcher"));
    List<PeerAddress> found = watcher.bootstrapNodes().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    say("dial 744-196884-0 (Bootstrap): %d bootstrap nodes %s", found.size(), found);

    say("");
    say("== the watcher watches 744-196884-23");
    NumberWatch watch = watcher.watch(N23, e -> say("   [watcher] %s", Text.event(e)));
    watch.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    Agent agentA = talker(vertx, seeds, AgentProfile.named("Agent A").withInterests("chat"));
    Agent agentB = talker(vertx, seeds, AgentProfile.named("Agent B").withInterests("crypto", "games"));
    NumberResolver a = agentA.resolver();
    NumberResolver b = agentB.resolver();
    NumberResolver c = agent(vertx, seeds, AgentProfile.named("Agent C").withInterests("crypto"));

    say("");
    say("== agents dial 23, 29 and 31, and meet on 23");
    say("Agent A -> ANNOUNCE 744-196884-23");
    a.announce(N23).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    pause();
    say("Agent B -> ANNOUNCE 744-196884-29, 744-196884-23");
    b.announce(N29).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    b.announce(N23).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    pause();
    say("Agent C -> ANNOUNCE 744-196884-31, 744-196884-23");
    c.announce(N31).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    c.announce(N23).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    pause();
    Roster r23 = c.discover(N23).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    say("Agent C -> DISCOVER 744-196884-23:");
    out.print(indent(Text.roster(r23)));

    say("");
    say("== gossip: A shares 47, B hosts 53");
    say("Agent A -> SHARE 744-196884-47 \"I know about 47\"");
    a.share(N47, "I know about 47", "crypto").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    pause();
    AgentServer server = agentB.host(DialNumber.GENERAL_CHAT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    say("Agent B -> HOST 744-196884-100 (General chat): listening on %s", server.endpoint());
    say("Agent B -> HOST 744-196884-53 (crypto, games) at %s", server.endpoint());
    b.host(N53, List.of("crypto", "games"), server.endpoint()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    pause();

    say("");
    say("== C requests B");
    AgentInfo bInfo = c.request(b.agent()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    say("Agent C -> REQUEST %s:", b.agent().toHex().substring(0, 8));
    out.print(indent(Text.agentDetail(bInfo)));

    say("");
    say("== find by interest and by service");
    List<AgentInfo> crypto = c.findAgents("crypto").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    out.print(indent(Text.agents("interested in crypto", crypto)));
    List<NumberListing> games = a.findNumbers("games").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    out.print(indent(Text.listings("games", games)));

    say("");
    say("== the gateway (any bootstrap node): curl http://127.0.0.1:%d/dial/744-196884-53", boot.get(1).httpPort());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + boot.get(1).httpPort() + "/dial/744-196884-53")).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
    String body = resp.body().strip();
    say("   %d %s", resp.statusCode(), body.length() > 160 ? body.substring(0, 160) + "..." : body);

    say("");
    say("== C leaves 23");
    say("Agent C -> LEFT 744-196884-23 (a signed tombstone)");
    c.leave(N23).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    pause();

    say("");
    say("== A connects to B directly and they chat");
    CompletableFuture<String> heardByB = new CompletableFuture<>();
    agentB.onConnection(conn -> conn.onChat(text -> {
      heardByB.complete(text);
      conn.chat("hi A, B here");
    }));
    say("Agent A -> dials 744-196884-53, connects to its host's endpoint, which proves B's key");
    AgentConnection conn = agentA.connect(N53).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    CompletableFuture<String> heardByA = new CompletableFuture<>();
    conn.onChat(heardByA::complete);
    conn.chat("hello B");
    say("   [A -> B] hello B");
    say("   [B] heard \"%s\"", heardByB.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    say("   [A] heard \"%s\"", heardByA.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    conn.close().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    watch.cancel();
  }

  private DhtNode client(Vertx vertx, List<PeerAddress> seeds) throws Exception {
    DhtNode n = DhtNodes.startUdp(vertx, DhtConfig.builder().clientMode(true).build(), Identity.generate(),
        "127.0.0.1", 0).get(10, TimeUnit.SECONDS);
    dhtNodes.add(n);
    n.bootstrap(seeds).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return n;
  }

  /** An agent that only dials numbers (the resolver). */
  private NumberResolver agent(Vertx vertx, List<PeerAddress> seeds, AgentProfile profile) throws Exception {
    NumberResolver r = NumberResolver.create(client(vertx, seeds), Identity.generate(), profile);
    agents.add(r::closeAsync);
    return r;
  }

  /** An agent that also talks directly (agent module): it offers chat on every connection. */
  private Agent talker(Vertx vertx, List<PeerAddress> seeds, AgentProfile profile) throws Exception {
    Agent agent = Agent.start(vertx, client(vertx, seeds), Identity.generate(), profile,
        Map.of(Services.CHAT, Services.chat()), AgentOptions.defaults());
    agents.add(agent::closeAsync);
    return agent;
  }

  /** Lets pushed events arrive before the next step prints. */
  private static void pause() throws InterruptedException {
    Thread.sleep(300);
  }

  private synchronized void say(String format, Object... args) {
    out.println(args.length == 0 ? format : String.format(format, args));
    out.flush();
  }

  private static String indent(String text) {
    return text.lines().map(l -> "   " + l).reduce("", (x, y) -> x + y + "\n");
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      // a temporary directory; the OS cleans it eventually
    }
  }
}
