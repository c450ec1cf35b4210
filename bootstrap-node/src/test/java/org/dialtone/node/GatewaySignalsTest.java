package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.signal.Candidate;
import org.dialtone.agent.reach.signal.Nonce128;
import org.dialtone.agent.reach.signal.Refusal;
import org.dialtone.agent.reach.signal.SignalBody;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalKind;
import org.dialtone.agent.reach.signal.SignalTransport;
import org.dialtone.agent.reach.signal.SignalVerifier;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.dht.time.Clock;
import org.dialtone.node.GatewayClient.Inbox;
import org.dialtone.node.gateway.Gateway;
import org.dialtone.node.metrics.NodeMeters;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signaling through the node ({@code POST /signals}, {@code WS /signals/{key}}) over real HTTP and WebSockets, with
 * the attacks mounted: a signal reaches the agent it names exactly as its sender signed it; a forged signature, a
 * signal claiming someone else's key, an oversized, malformed or expired one, a flood from one network and a flood at
 * one agent are each refused with a clear error and counted, and others are served; a session needs a proof of the
 * key, so nobody reads another agent's signals. Each client speaks from its own loopback address.
 */
class GatewaySignalsTest {
  static LocalTestnet net;
  static Gateway gateway;
  static NodeMeters meters;
  static NumberResolver gw;

  @BeforeAll
  static void start() throws Exception {
    net = LocalTestnet.start(3);
    DhtNode node = net.node(0);
    gw = NumberResolver.create(node, Identity.generate(), AgentProfile.named("gw"));
    meters = NodeMeters.create(node.metrics(), node::isReady);
    gateway = Gateway.start(net.vertx(), node, gw, meters, "127.0.0.1", 0).get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    try {
      gw.closeAsync().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
      gateway.close();
    } finally {
      net.close();
    }
  }

  static SignedSignal signal(Identity from, PublicKey to, Identity signer, long issued, long lifetime) {
    SignalBody body = new SignalBody(SignalKind.REQUEST, SignalTransport.WEBRTC, NatType.UNKNOWN, Refusal.NONE,
        from.publicKey(), to, Nonce128.random(), Nonce128.random(), issued, issued + lifetime,
        List.of(new Candidate(Candidate.Type.HOST, PeerAddress.of(new byte[] {10, 0, 0, 2}, 50000))),
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
    SignedSignal signed = SignedSignal.sign(new SignalBody(body.kind(), body.transport(), body.nat(), body.refusal(),
        signer.publicKey(), to, body.session(), body.nonce(), issued, issued + lifetime, body.candidates(),
        body.payload()), signer);
    // the sender field says `from`, the signature is `signer`'s: the two differ for an impersonation
    return new SignedSignal(body, signed.signature());
  }

  static SignedSignal signal(Identity from, PublicKey to) {
    return signal(from, to, from, System.currentTimeMillis(), 30_000);
  }

  /** A POST of {@code body} to {@code /signals} from {@code localIp}: {status, body}. */
  static String[] post(String localIp, byte[] body) throws Exception {
    return GatewayClient.post(gateway.port(), localIp, "/signals", "application/octet-stream", body);
  }

  /** Opens {@code /signals/{key}} from {@code localIp} and answers the challenge, signed by {@code prover}. */
  static Inbox attach(String localIp, PublicKey key, Identity prover) throws Exception {
    return GatewayClient.open(net.vertx(), gateway.port(), localIp, key, prover);
  }

  static double metric(String name, String result) throws Exception {
    return GatewayClient.metric(gateway.port(), name, result);
  }

  @Test
  void aSignalReachesTheAgentItNamesAsItsSenderSignedIt() throws Exception {
    Identity alice = Identity.generate();
    Identity bob = Identity.generate();
    Inbox inbox = attach("127.0.10.1", bob.publicKey(), bob);
    assertTrue(String.valueOf(inbox.texts().poll(10, TimeUnit.SECONDS)).contains("ATTACHED"));
    byte[] bytes = SignalCodec.encode(signal(alice, bob.publicKey()));
    String[] r = post("127.0.11.1", bytes);
    assertEquals("202", r[0], r[1]);
    byte[] got = inbox.signals().poll(10, TimeUnit.SECONDS);
    assertArrayEquals(bytes, got, "the node passes the envelope on unchanged");
    // and the receiver's own check accepts it: the node relayed, it did not make anything
    SignedSignal s = new SignalVerifier(Clock.system(), bob.publicKey(), 16).accept(got);
    assertEquals(alice.publicKey(), s.body().sender());

    // nobody attached for this key here: a clear 404, nothing delivered anywhere
    r = post("127.0.11.1", SignalCodec.encode(signal(alice, Identity.generate().publicKey())));
    assertEquals("404", r[0], r[1]);
    assertTrue(r[1].contains("NOT_ATTACHED"), r[1]);
    assertNull(inbox.signals().poll(200, TimeUnit.MILLISECONDS));
    inbox.ws().close();
  }

  @Test
  void forgedOversizedMalformedAndExpiredSignalsAreRefusedCountedAndNeverDelivered() throws Exception {
    Identity mallory = Identity.generate();
    Identity victim = Identity.generate();
    Identity bob = Identity.generate();
    Inbox inbox = attach("127.0.20.1", bob.publicKey(), bob);
    assertTrue(String.valueOf(inbox.texts().poll(10, TimeUnit.SECONDS)).contains("ATTACHED"));
    double forgedBefore = metric("dialtone_gateway_signals_total", "bad_signature");

    byte[] flipped = SignalCodec.encode(signal(mallory, bob.publicKey()));
    flipped[flipped.length - 5] ^= 1;
    String[] r = post("127.0.21.1", flipped);
    assertEquals("403", r[0], r[1]);
    assertTrue(r[1].contains("BAD_SIGNATURE"), r[1]);
    // the victim's key as sender, signed by mallory: a signal claiming someone else's key
    r = post("127.0.21.2", SignalCodec.encode(signal(victim, bob.publicKey(), mallory, System.currentTimeMillis(),
        30_000)));
    assertEquals("403", r[0], r[1]);
    assertTrue(r[1].contains("BAD_SIGNATURE"), r[1]);

    r = post("127.0.21.3", new byte[5000]);
    assertEquals("413", r[0], r[1]);
    assertTrue(r[1].contains("BODY_TOO_LARGE"), r[1]);
    r = post("127.0.21.4", new byte[300]);
    assertEquals("400", r[0], r[1]);
    assertTrue(r[1].contains("MALFORMED"), r[1]);
    r = post("127.0.21.5", SignalCodec.encode(signal(mallory, bob.publicKey(), mallory,
        System.currentTimeMillis() - 40_000, 30_000)));
    assertEquals("400", r[0], r[1]);
    assertTrue(r[1].contains("EXPIRED"), r[1]);
    r = post("127.0.21.6", SignalCodec.encode(signal(mallory, bob.publicKey(), mallory, System.currentTimeMillis(),
        3_600_000)));
    assertEquals("400", r[0], r[1]);
    assertTrue(r[1].contains("BAD_LIFETIME"), r[1]);

    assertNull(inbox.signals().poll(300, TimeUnit.MILLISECONDS), "a refused signal reached its recipient");
    assertEquals(forgedBefore + 2, metric("dialtone_gateway_signals_total", "bad_signature"));
    assertTrue(metric("dialtone_gateway_signals_total", "body_too_large") >= 1);
    assertTrue(metric("dialtone_gateway_signals_total", "malformed") >= 1);
    // the honest sender is served all along
    assertEquals("202", post("127.0.22.1", SignalCodec.encode(signal(Identity.generate(), bob.publicKey())))[0]);
    assertTrue(inbox.signals().poll(10, TimeUnit.SECONDS) != null);
    inbox.ws().close();
  }

  @Test
  void aFloodFromOneNetworkAndAFloodAtOneAgentAreCutOthersServed() throws Exception {
    Identity bob = Identity.generate();
    Identity carol = Identity.generate();
    Inbox bobs = attach("127.0.30.1", bob.publicKey(), bob);
    Inbox carols = attach("127.0.30.2", carol.publicKey(), carol);
    assertTrue(String.valueOf(bobs.texts().poll(10, TimeUnit.SECONDS)).contains("ATTACHED"));
    assertTrue(String.valueOf(carols.texts().poll(10, TimeUnit.SECONDS)).contains("ATTACHED"));

    // one page (one /24, many addresses) sends 60 signals at once to bob
    Identity flooder = Identity.generate();
    int passed = 0;
    int limited = 0;
    for (int i = 0; i < 60; i++) {
      String[] r = post("127.0.31." + (1 + i % 200), SignalCodec.encode(signal(flooder, bob.publicKey())));
      if (r[0].equals("202")) {
        passed++;
      } else {
        assertEquals("429", r[0], r[1]);
        assertTrue(r[1].contains("RATE_LIMITED"), r[1]);
        limited++;
      }
    }
    // a burst of 20 and 5 a second: however slowly this machine posts, most of the 60 are refused
    assertTrue(passed >= 20 && limited >= 60 - 20 - 5 * 10, passed + " passed, " + limited + " limited");
    // another network still reaches carol
    assertEquals("202", post("127.0.32.1", SignalCodec.encode(signal(Identity.generate(), carol.publicKey())))[0]);

    // many networks at one agent: carol's rate is cut, bob (already flooded above) aside, dave is served
    int toCarol = 0;
    int carolLimited = 0;
    for (int i = 0; i < 60; i++) {
      String[] r = post("127.0." + (40 + i) + ".1", SignalCodec.encode(signal(Identity.generate(),
          carol.publicKey())));
      if (r[0].equals("202")) {
        toCarol++;
      } else {
        assertEquals("429", r[0], r[1]);
        assertTrue(r[1].contains("RECIPIENT_RATE_LIMITED"), r[1]);
        carolLimited++;
      }
    }
    assertTrue(carolLimited >= 60 - 19 - 5 * 10 && toCarol >= 15, toCarol + " passed, " + carolLimited + " limited");
    Identity dave = Identity.generate();
    Inbox daves = attach("127.0.33.1", dave.publicKey(), dave);
    assertTrue(String.valueOf(daves.texts().poll(10, TimeUnit.SECONDS)).contains("ATTACHED"));
    assertEquals("202", post("127.0.34.1", SignalCodec.encode(signal(Identity.generate(), dave.publicKey())))[0]);
    assertTrue(metric("dialtone_gateway_signals_total", "rate_limited") >= limited);
    assertTrue(metric("dialtone_gateway_signals_total", "recipient_rate_limited")
        >= carolLimited);
    List.of(bobs, carols, daves).forEach(b -> b.ws().close());
  }

  @Test
  void nobodyReadsAnotherAgentsSignalsWithoutItsKey() throws Exception {
    Identity bob = Identity.generate();
    Identity eve = Identity.generate();
    // eve asks for bob's inbox and signs the challenge with her own key
    Inbox stolen = attach("127.0.50.1", bob.publicKey(), eve);
    String error = stolen.texts().poll(10, TimeUnit.SECONDS);
    assertTrue(String.valueOf(error).contains("BAD_PROOF"), String.valueOf(error));
    assertTrue(stolen.closed().get(10, TimeUnit.SECONDS).contains("BAD_PROOF"));
    String[] r = post("127.0.51.1", SignalCodec.encode(signal(Identity.generate(), bob.publicKey())));
    assertEquals("404", r[0], "the refused session holds nothing: " + r[1]);
    assertTrue(metric("dialtone_gateway_signal_sessions_total", "bad_proof") >= 1);

    // a key that is not one, and a plain GET, are told what the endpoint wants
    var bad = net.vertx().createWebSocketClient().webSocket();
    var failed = bad.connect(gateway.port(), "127.0.0.1", "/signals/zz").toCompletionStage().toCompletableFuture();
    assertTrue(assertFails(failed).contains("400"));
    String plain = new String(new java.net.URL("http://127.0.0.1:" + gateway.port() + "/signals/"
        + bob.publicKey().toHex()).openConnection().getHeaderField(0));
    assertTrue(plain.contains("426"), plain);
  }

  @Test
  void aNewerInboxOfTheSameKeyReplacesTheOlderWhichIsToldAndClosed() throws Exception {
    Identity bob = Identity.generate();
    Inbox first = attach("127.0.80.1", bob.publicKey(), bob);
    assertTrue(String.valueOf(first.texts().poll(10, TimeUnit.SECONDS)).contains("ATTACHED"));
    Inbox second = attach("127.0.80.2", bob.publicKey(), bob); // the same agent, from another tab
    assertTrue(String.valueOf(second.texts().poll(10, TimeUnit.SECONDS)).contains("ATTACHED"));
    assertTrue(String.valueOf(first.texts().poll(10, TimeUnit.SECONDS)).contains("REPLACED"));
    assertTrue(first.closed().get(10, TimeUnit.SECONDS).contains("REPLACED"));
    byte[] bytes = SignalCodec.encode(signal(Identity.generate(), bob.publicKey()));
    assertEquals("202", post("127.0.81.1", bytes)[0]);
    assertArrayEquals(bytes, second.signals().poll(10, TimeUnit.SECONDS));
    assertNull(first.signals().poll(200, TimeUnit.MILLISECONDS));
    second.ws().close();
  }

  @Test
  void socketsThatNeverProveAKeyAreBoundedPerNetwork() throws Exception {
    List<ClientWebSocket> waiting = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      waiting.add(openUnproven("127.0.70." + (i + 1)));
    }
    // the ninth from the same /24 is refused at the upgrade, with the reason
    var client = net.vertx().createWebSocketClient(new WebSocketClientOptions().setLocalAddress("127.0.70.99"));
    String refused = assertFails(client.webSocket().connect(gateway.port(), "127.0.0.1", "/signals/"
        + Identity.generate().publicKey().toHex()).toCompletionStage().toCompletableFuture());
    assertTrue(refused.contains("503"), refused);
    assertTrue(metric("dialtone_gateway_signal_sessions_total", "too_many_sessions") >= 1);
    // another network is not affected, and a socket that goes gives its place back
    waiting.add(openUnproven("127.0.71.1"));
    waiting.get(0).close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    ClientWebSocket again = null;
    while (again == null) {
      try {
        again = openUnproven("127.0.70.100");
      } catch (AssertionError | java.util.concurrent.ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20); // the server sees the close a moment after the client: retry until the deadline
      }
    }
    waiting.add(again);
    waiting.forEach(ClientWebSocket::close);
  }

  /** A socket on /signals/{key} that gets its challenge and never answers it. */
  static ClientWebSocket openUnproven(String localIp) throws Exception {
    var client = net.vertx().createWebSocketClient(new WebSocketClientOptions().setLocalAddress(localIp));
    LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    ClientWebSocket ws = client.webSocket();
    ws.textMessageHandler(texts::add);
    ws.connect(gateway.port(), "127.0.0.1", "/signals/" + Identity.generate().publicKey().toHex())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(String.valueOf(texts.poll(10, TimeUnit.SECONDS)).contains("CHALLENGE"));
    return ws;
  }

  private static String assertFails(CompletableFuture<?> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return String.valueOf(e.getCause());
    }
    throw new AssertionError("expected a refusal");
  }
}
