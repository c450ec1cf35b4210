package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.signal.Nonce128;
import org.dialtone.agent.reach.signal.Refusal;
import org.dialtone.agent.reach.signal.SignalBody;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalError;
import org.dialtone.agent.reach.signal.SignalKind;
import org.dialtone.agent.reach.signal.SignalTransport;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.agent.webrtc.BrowserReach;
import org.dialtone.agent.webrtc.rtc.WebRtcUnavailableException;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.node.gateway.Gateway;
import org.dialtone.node.metrics.NodeMeters;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberResolver;
import org.junit.jupiter.api.Test;

/**
 * A Java agent's signal inbox outlives its node's gateway: when the gateway goes away (a node restart) and comes back
 * on the same address, the agent attaches the inbox again by itself, says so, and signals reach it as before. Real
 * HTTP and WebSockets on loopback, libwebrtc loaded as {@code join --browsers} loads it.
 */
class BrowserReachReattachTest {
  @Test
  void anInboxTheNodeClosedIsAttachedAgainAndCarriesSignals() throws Exception {
    try (LocalTestnet net = LocalTestnet.start(3)) {
      DhtNode node = net.node(0);
      NumberResolver resolver = NumberResolver.create(node, Identity.generate(), AgentProfile.named("gw"));
      Gateway first = startGateway(net, node, resolver, 0);
      int port = first.port();
      Identity agent = Identity.generate();
      List<Boolean> changes = new CopyOnWriteArrayList<>();
      BrowserReach reach = open(net, agent, port);
      Gateway second = null;
      try {
        reach.onInboxChange((up, why) -> changes.add(up));
        await(() -> first.signalSessions() == 1, "the inbox attached at the first gateway");

        first.close(); // what the agent sees of a node restart: its session closes, the address stops answering
        await(() -> !reach.attached(), "the agent saw its inbox close");
        second = startGateway(net, node, resolver, port);
        Gateway back = second;
        await(() -> reach.attached() && back.signalSessions() == 1, "the inbox attached again, at the second gateway");
        assertEquals(List.of(false, true), changes, "one close and one return, told in order");

        // The inbox carries signals again: an ANSWER nobody asked for, sent through the new gateway, reaches the
        // agent, which refuses it as UNEXPECTED.
        String[] r = GatewayClient.post(port, "127.0.0.1", "/signals", "application/octet-stream",
            SignalCodec.encode(unaskedAnswer(Identity.generate(), agent)));
        assertEquals("202", r[0], r[1]);
        await(() -> reach.refusedSignals().getOrDefault(SignalError.UNEXPECTED, 0L) == 1L,
            "the signal reached the agent through its attached-again inbox");
      } finally {
        reach.close();
        if (second != null) {
          second.close();
        }
        resolver.closeAsync().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
      }
      assertTrue(!reach.attached(), "a closed reach is not attached");
    }
  }

  private static Gateway startGateway(LocalTestnet net, DhtNode node, NumberResolver resolver, int port)
      throws Exception {
    // a restarted node has meters of its own
    return Gateway.start(net.vertx(), node, resolver, NodeMeters.create(node.metrics(), node::isReady), "127.0.0.1",
        port).get(10, TimeUnit.SECONDS);
  }

  private static BrowserReach open(LocalTestnet net, Identity agent, int port) throws Exception {
    try {
      return BrowserReach.open(net.vertx(), agent, URI.create("http://127.0.0.1:" + port), chat -> { })
          .get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof WebRtcUnavailableException w) {
        return fail(w.getMessage());
      }
      throw e;
    }
  }

  private static SignedSignal unaskedAnswer(Identity from, Identity to) {
    long now = System.currentTimeMillis();
    return SignedSignal.sign(new SignalBody(SignalKind.ANSWER, SignalTransport.WEBRTC, NatType.UNKNOWN,
        Refusal.NONE, from.publicKey(), to.publicKey(), Nonce128.random(), Nonce128.random(), now, now + 30_000,
        List.of(), "v=0\r\n".getBytes(StandardCharsets.US_ASCII)), from);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within 30 s: " + what);
      }
      Thread.sleep(20);
    }
  }
}
