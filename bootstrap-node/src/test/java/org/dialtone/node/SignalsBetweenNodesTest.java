package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.ClientWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalVerifier;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.SignalRefusal;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.dht.time.Clock;
import org.dialtone.node.gateway.Gateway;
import org.dialtone.node.metrics.NodeMeters;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.ResolverKeys;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signals between agents attached to different nodes, on real UDP, HTTP and WebSockets on loopback: Alice posts to
 * node A's gateway, Bob holds his inbox on node B and names B in his signed directory record; A forwards the
 * envelope to B as a DHT SIGNAL and B delivers it byte for byte. The attacks: a flood through A toward B from one
 * network is cut where it entered; a forged or altered envelope that a node forwards is refused by the receiving node
 * and counted; a record naming an address that does not prove the
 * node key gets no envelope sent there; a SIGNAL for an agent not attached is refused with a typed code; a browser
 * cannot name another node in its records.
 */
class SignalsBetweenNodesTest {
  static LocalTestnet net;
  static Gateway gatewayA;
  static Gateway gatewayB;
  static NumberResolver resolverA;
  static NumberResolver resolverB;

  @BeforeAll
  static void start() throws Exception {
    net = LocalTestnet.start(3);
    resolverA = NumberResolver.create(net.node(0), Identity.generate(), AgentProfile.named("a"));
    resolverB = NumberResolver.create(net.node(1), Identity.generate(), AgentProfile.named("b"));
    gatewayA = Gateway.start(net.vertx(), net.node(0), resolverA,
        NodeMeters.create(net.node(0).metrics(), net.node(0)::isReady), "127.0.0.1", 0).get(10, TimeUnit.SECONDS);
    gatewayB = Gateway.start(net.vertx(), net.node(1), resolverB,
        NodeMeters.create(net.node(1).metrics(), net.node(1)::isReady), "127.0.0.1", 0).get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    try {
      resolverA.closeAsync().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
      resolverB.closeAsync().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
      gatewayA.close();
      gatewayB.close();
    } finally {
      net.close();
    }
  }

  /** Bob's directory record (kind AGENT under agent:<key>), signed by Bob, naming {@code endpoints}. */
  static SignedRecord directory(Identity who, List<String> endpoints) {
    long now = System.currentTimeMillis() / 1000;
    byte[] payload = RecordCodec.encodeAgent(new AgentInfo(who.publicKey(), "bob", DialNumber.parse("744-196884-24"),
        Role.MEMBER, List.of(), List.of(), endpoints, List.of(), 0, 0));
    return SignedRecord.sign(who, ResolverKeys.agent(who.publicKey()), RecordKind.AGENT.code(),
        System.currentTimeMillis(), now + 120, payload);
  }

  static String[] post(Gateway to, String localIp, String path, String type, byte[] body) throws Exception {
    return GatewayClient.post(to.port(), localIp, path, type, body);
  }

  /** An inbox attached to a node, and the node endpoint the node told it (what its directory record names). */
  record Inbox(GatewayClient.Inbox open, String node) {
    LinkedBlockingQueue<byte[]> signals() {
      return open.signals();
    }

    ClientWebSocket ws() {
      return open.ws();
    }
  }

  /** Opens {@code who}'s inbox on {@code gateway}, proves the key, and returns it with the node endpoint it was told. */
  static Inbox attach(Gateway gateway, String localIp, Identity who) throws Exception {
    GatewayClient.Inbox open = GatewayClient.open(net.vertx(), gateway.port(), localIp, who.publicKey(), who);
    String attached = String.valueOf(open.texts().poll(10, TimeUnit.SECONDS));
    Matcher node = Pattern.compile("\"node\":\"([^\"]+)\"").matcher(attached);
    assertTrue(attached.contains("ATTACHED") && node.find(), attached);
    return new Inbox(open, node.group(1));
  }

  /** A POST of {@code record} to {@code /records}, as a page publishes its own through its node: {status, body}. */
  static String[] postRecord(Gateway to, String localIp, SignedRecord record) throws Exception {
    return post(to, localIp, "/records", "application/json",
        RecordCodec.toJson(record).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code who}'s inbox on {@code gateway}, and its directory record published there naming that node. */
  static Inbox attachAndPublish(Gateway gateway, String localIp, Identity who) throws Exception {
    Inbox inbox = attach(gateway, localIp, who);
    String[] r = postRecord(gateway, localIp, directory(who, List.of(inbox.node())));
    assertEquals("202", r[0], r[1]);
    return inbox;
  }

  static double metric(Gateway g, String name, String result) throws Exception {
    return GatewayClient.metric(g.port(), name, result);
  }

  @Test
  void aSignalPostedToOneNodeReachesTheAgentAttachedToAnotherByteForByte() throws Exception {
    Identity alice = Identity.generate();
    Identity bob = Identity.generate();
    Inbox inbox = attachAndPublish(gatewayB, "127.0.30.1", bob);
    assertEquals("dialtone-node://" + net.node(1).address() + "/" + net.node(1).publicKey().toHex(), inbox.node());
    double forwardedBefore = metric(gatewayA, "dialtone_gateway_signals_total", "forwarded");
    double deliveredBefore = metric(gatewayB, "dialtone_node_signals_total", "delivered");

    byte[] bytes = SignalCodec.encode(GatewaySignalsTest.signal(alice, bob.publicKey()));
    String[] r = post(gatewayA, "127.0.31.1", "/signals", "application/octet-stream", bytes);
    assertEquals("202", r[0], r[1]);
    assertTrue(r[1].contains(inbox.node()), "the answer names the node it went through: " + r[1]);
    byte[] got = inbox.signals().poll(10, TimeUnit.SECONDS);
    assertArrayEquals(bytes, got, "two nodes passed the envelope on unchanged");
    assertEquals(alice.publicKey(), new SignalVerifier(Clock.system(), bob.publicKey(), 16).accept(got).body()
        .sender());
    assertEquals(forwardedBefore + 1, metric(gatewayA, "dialtone_gateway_signals_total", "forwarded"));
    assertEquals(deliveredBefore + 1, metric(gatewayB, "dialtone_node_signals_total", "delivered"));
    inbox.ws().close();
  }

  /**
   * A flood through node A toward Bob on node B, from one network: A cuts it to that network's burst and rate before
   * anything is forwarded (429), B delivers exactly what A forwarded, and a page on another network still reaches
   * another agent on B through A.
   */
  @Test
  void aFloodThroughOneNodeTowardAnotherIsCutWhereItEntered() throws Exception {
    Identity mallory = Identity.generate();
    Identity bob = Identity.generate();
    Identity carol = Identity.generate();
    Inbox bobs = attachAndPublish(gatewayB, "127.0.35.1", bob);
    Inbox carols = attachAndPublish(gatewayB, "127.0.35.2", carol);
    double deliveredBefore = metric(gatewayB, "dialtone_node_signals_total", "delivered");
    long t0 = System.nanoTime();
    int through = 0;
    int limited = 0;
    for (int i = 0; i < 60; i++) {
      String[] r = post(gatewayA, "127.0.36." + (1 + i % 50), "/signals", "application/octet-stream",
          SignalCodec.encode(GatewaySignalsTest.signal(mallory, bob.publicKey())));
      if (r[0].equals("202")) {
        through++;
      } else {
        assertEquals("429", r[0], r[1]);
        limited++;
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("flood through node A toward node B from one /24: %d of 60 forwarded, %d refused 429 at A, "
        + "in %.2f s%n", through, limited, seconds);
    assertTrue(through <= 20 + 5 * seconds + 1, through + " through in " + seconds + " s");
    assertEquals(60, through + limited); // the bound above is the property: nothing past burst and refill
    assertEquals(deliveredBefore + through, metric(gatewayB, "dialtone_node_signals_total", "delivered"),
        "B delivered exactly what A forwarded");
    int bobGot = 0;
    while (bobs.signals().poll(200, TimeUnit.MILLISECONDS) != null) {
      bobGot++;
    }
    assertEquals(through, bobGot);
    String[] r = post(gatewayA, "127.0.37.1", "/signals", "application/octet-stream",
        SignalCodec.encode(GatewaySignalsTest.signal(Identity.generate(), carol.publicKey())));
    assertEquals("202", r[0], "another network, another agent: served " + r[1]);
    assertTrue(carols.signals().poll(10, TimeUnit.SECONDS) != null);
    bobs.ws().close();
    carols.ws().close();
  }

  /**
   * A node that forwards what it should not (here node C, playing a malicious node with the DHT's own SIGNAL): an
   * envelope with one byte flipped, and one claiming Alice as sender but signed by Mallory, are refused by B with
   * BAD_SIGNATURE, counted, and never reach Bob's inbox; a SIGNAL for an agent not attached is NOT_ATTACHED.
   */
  @Test
  void forgedAlteredAndUnattachedSignalsFromAnotherNodeAreRefusedAndCounted() throws Exception {
    Identity alice = Identity.generate();
    Identity mallory = Identity.generate();
    Identity bob = Identity.generate();
    Inbox inbox = attach(gatewayB, "127.0.32.1", bob);
    DhtNode evil = net.node(2);
    DhtNode b = net.node(1);
    double badBefore = metric(gatewayB, "dialtone_node_signals_total", "bad_signature");
    double notAttachedBefore = metric(gatewayB, "dialtone_node_signals_total", "not_attached");

    byte[] flipped = SignalCodec.encode(GatewaySignalsTest.signal(alice, bob.publicKey()));
    flipped[flipped.length - 70] ^= 1; // in the body: the signature no longer verifies
    Optional<SignalRefusal> refusal = evil.signal(b.publicKey(), b.address(), flipped).get(10, TimeUnit.SECONDS);
    assertEquals(ErrorCode.BAD_SIGNATURE, refusal.orElseThrow().code(), refusal.toString());
    byte[] impersonation = SignalCodec.encode(GatewaySignalsTest.signal(alice, bob.publicKey(), mallory,
        System.currentTimeMillis(), 30_000));
    refusal = evil.signal(b.publicKey(), b.address(), impersonation).get(10, TimeUnit.SECONDS);
    assertEquals(ErrorCode.BAD_SIGNATURE, refusal.orElseThrow().code(), refusal.toString());
    assertEquals(badBefore + 2, metric(gatewayB, "dialtone_node_signals_total", "bad_signature"));

    byte[] forNobody = SignalCodec.encode(GatewaySignalsTest.signal(alice, Identity.generate().publicKey()));
    refusal = evil.signal(b.publicKey(), b.address(), forNobody).get(10, TimeUnit.SECONDS);
    assertEquals(ErrorCode.NOT_ATTACHED, refusal.orElseThrow().code(), refusal.toString());
    assertEquals(notAttachedBefore + 1, metric(gatewayB, "dialtone_node_signals_total", "not_attached"));
    assertNull(inbox.signals().poll(200, TimeUnit.MILLISECONDS), "nothing reached Bob");
    inbox.ws().close();
  }

  /**
   * Eve's record names node B's address with a key that is not B's (an address of her choosing): A pings it with a
   * challenge, the answer does not prove that key, and no envelope is sent there. A record naming B properly, for an
   * agent not attached there, ends in B's typed refusal, passed back to the poster.
   */
  @Test
  void aRecordNamingAnAddressThatDoesNotProveItsKeyGetsNoEnvelopeSent() throws Exception {
    Identity alice = Identity.generate();
    Identity eve = Identity.generate();
    DhtNode b = net.node(1);
    String stranger = "dialtone-node://" + b.address() + "/" + Identity.generate().publicKey().toHex();
    net.node(2).put(directory(eve, List.of(stranger))).get(10, TimeUnit.SECONDS);
    double atB = metric(gatewayB, "dialtone_node_signals_total", "not_attached");
    String[] r = post(gatewayA, "127.0.33.1", "/signals", "application/octet-stream",
        SignalCodec.encode(GatewaySignalsTest.signal(alice, eve.publicKey())));
    assertEquals("502", r[0], r[1]);
    assertTrue(r[1].contains("NODE_UNPROVEN"), r[1]);
    assertEquals(atB, metric(gatewayB, "dialtone_node_signals_total", "not_attached"), "B got no SIGNAL");

    Identity gone = Identity.generate();
    net.node(2).put(directory(gone, List.of("dialtone-node://" + b.address() + "/" + b.publicKey().toHex())))
        .get(10, TimeUnit.SECONDS);
    r = post(gatewayA, "127.0.33.2", "/signals", "application/octet-stream",
        SignalCodec.encode(GatewaySignalsTest.signal(alice, gone.publicKey())));
    assertEquals("404", r[0], r[1]);
    assertTrue(r[1].contains("NOT_ATTACHED"), r[1]);
    assertEquals(atB + 1, metric(gatewayB, "dialtone_node_signals_total", "not_attached"));
    assertEquals(1.0, metric(gatewayA, "dialtone_gateway_signals_total", "forward_not_attached"));
  }

  /** A page may name only the node it posts through: a record naming another node, or any other URL, is refused. */
  @Test
  void aBrowsersRecordMayNameOnlyItsOwnNode() throws Exception {
    Identity bob = Identity.generate();
    DhtNode a = net.node(0);
    DhtNode b = net.node(1);
    String nodeB = "dialtone-node://" + b.address() + "/" + b.publicKey().toHex();
    for (String endpoint : List.of(nodeB, "ws://127.0.0.1:9/", "dialtone-node://victim.example:7440/"
        + a.publicKey().toHex())) {
      String[] r = postRecord(gatewayA, "127.0.34.1", directory(bob, List.of(endpoint)));
      assertEquals("400", r[0], endpoint + ": " + r[1]);
      assertTrue(r[1].contains("BAD_ENDPOINT"), r[1]);
    }
    String[] r = postRecord(gatewayB, "127.0.34.1", directory(bob, List.of(nodeB)));
    assertEquals("202", r[0], r[1]);
  }
}
