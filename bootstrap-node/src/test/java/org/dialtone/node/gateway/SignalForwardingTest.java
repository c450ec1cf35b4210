package org.dialtone.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.signal.Nonce128;
import org.dialtone.agent.reach.signal.Refusal;
import org.dialtone.agent.reach.signal.SignalBody;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalKind;
import org.dialtone.agent.reach.signal.SignalTransport;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.dht.api.SignalRefusal;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.node.limit.PrefixRateLimiter;
import org.junit.jupiter.api.Test;

/**
 * The node-to-node half of signaling, below the network: a flood of SIGNALs forwarded from one node's network is cut
 * to its rate while another node's network is served; forwards in flight are bounded per sender network; a record
 * that names only this node is not forwarded to; the node endpoint in a record parses back to what was written and
 * nothing else ever throws.
 */
class SignalForwardingTest {
  private static final long NOW_MILLIS = 1_800_000_000_000L;
  private static final Identity ALICE = Identity.generate();

  private static byte[] signalTo(PublicKey recipient) {
    SignalBody body = new SignalBody(SignalKind.REQUEST, SignalTransport.WEBRTC, NatType.UNKNOWN, Refusal.NONE,
        ALICE.publicKey(), recipient, Nonce128.random(), Nonce128.random(), NOW_MILLIS, NOW_MILLIS + 30_000,
        List.of(), new byte[] {'v', '=', '0'});
    return SignalCodec.encode(SignedSignal.sign(body, ALICE));
  }

  /** Attack: one node (or many in one /24) floods another with SIGNALs, each for a different recipient. */
  @Test
  void aFloodFromOneNodesNetworkIsCutToItsRateAndAnotherNodeIsServed() throws Exception {
    SignalRelay relay = new SignalRelay();
    InetAddress flooder = InetAddress.getByName("198.51.100.7");
    InetAddress honest = InetAddress.getByName("203.0.113.9");
    int burst = SignalRelay.NODE_LIMITS.perPrefixBurst();
    int notAttached = 0;
    int rateLimited = 0;
    for (int i = 0; i < burst + 100; i++) {
      // a fresh recipient each time, so only the node network's own limit can stop the flood
      String code = relay.receive(signalTo(Identity.generate().publicKey()), flooder, NOW_MILLIS, 0)
          .refusal().orElseThrow().code();
      if (code.equals("NOT_ATTACHED")) {
        notAttached++;
      } else if (code.equals("RATE_LIMITED")) {
        rateLimited++;
      }
    }
    assertEquals(burst, notAttached, "the burst is checked, then the limit holds");
    assertEquals(100, rateLimited);
    // the same instant, another node's network: served
    assertEquals("NOT_ATTACHED", relay.receive(signalTo(Identity.generate().publicKey()), honest, NOW_MILLIS, 0)
        .refusal().orElseThrow().code());
    // and a delivered one, to an attached inbox
    Identity bob = Identity.generate();
    List<byte[]> got = new ArrayList<>();
    relay.attach(new SignalRelay.Session(bob.publicKey(), 1, got::add, () -> { }));
    byte[] toBob = signalTo(bob.publicKey());
    assertTrue(relay.receive(toBob, honest, NOW_MILLIS, 0).refusal().isEmpty());
    assertEquals(1, got.size());
  }

  @Test
  void forwardsInFlightAreBoundedPerSenderNetworkAndNeverGoToThisNode() throws Exception {
    PublicKey self = Identity.generate().publicKey();
    PublicKey other = Identity.generate().publicKey();
    List<CompletableFuture<List<String>>> lookups = new ArrayList<>();
    AtomicInteger sent = new AtomicInteger();
    SignalForwarder forwarder = new SignalForwarder(self, agent -> {
      CompletableFuture<List<String>> f = new CompletableFuture<>();
      lookups.add(f);
      return f;
    }, (key, to, envelope) -> {
      sent.incrementAndGet();
      assertEquals(other, key, "never to this node itself");
      return CompletableFuture.completedFuture(Optional.<SignalRefusal>empty());
    });
    byte[] bytes = signalTo(Identity.generate().publicKey());
    SignedSignal signal = SignalCodec.decode(bytes);
    long networkA = PrefixRateLimiter.prefixOf(InetAddress.getLoopbackAddress());
    long networkB = networkA + 1;
    List<CompletableFuture<SignalForwarder.Outcome>> pending = new ArrayList<>();
    for (int i = 0; i < SignalForwarder.MAX_IN_FLIGHT_PER_PREFIX; i++) {
      pending.add(forwarder.forward(signal, bytes, networkA));
    }
    SignalForwarder.Outcome refused = forwarder.forward(signal, bytes, networkA).join();
    assertEquals("TOO_MANY_FORWARDS", refused.refusal().orElseThrow().code());
    CompletableFuture<SignalForwarder.Outcome> fromB = forwarder.forward(signal, bytes, networkB);
    assertTrue(!fromB.isDone() && lookups.size() == SignalForwarder.MAX_IN_FLIGHT_PER_PREFIX + 1,
        "another network is not held up");

    String selfEndpoint = new NodeEndpoint(self, PeerAddress.parse("192.0.2.1:7440")).toUri();
    String otherEndpoint = new NodeEndpoint(other, PeerAddress.parse("192.0.2.2:7440")).toUri();
    lookups.get(0).complete(List.of(selfEndpoint)); // names only this node: not attached, nothing sent
    assertEquals("NOT_ATTACHED", pending.get(0).join().refusal().orElseThrow().code());
    assertEquals(0, sent.get());
    lookups.get(1).complete(List.of("ws://192.0.2.3:80/", selfEndpoint, otherEndpoint));
    assertEquals(otherEndpoint, pending.get(1).join().via().orElseThrow().toUri());
    assertEquals(1, sent.get());
    // two places given back: network A may forward again
    assertTrue(!forwarder.forward(signal, bytes, networkA).isDone(), "not refused: on its way");
  }

  @Provide
  Arbitrary<NodeEndpoint> endpoints() {
    Arbitrary<PublicKey> keys = Arbitraries.bytes().array(byte[].class).ofSize(32).map(PublicKey::of);
    Arbitrary<PeerAddress> addresses = Combinators.combine(
        Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4),
            Arbitraries.bytes().array(byte[].class).ofSize(16)),
        Arbitraries.integers().between(1, 65535)).as(PeerAddress::of);
    return Combinators.combine(keys, addresses).as(NodeEndpoint::new);
  }

  @Property(tries = 500)
  void aNodeEndpointParsesBackToWhatWasWritten(@ForAll("endpoints") NodeEndpoint e) {
    assertEquals(Optional.of(e), NodeEndpoint.parse(e.toUri()));
  }

  @Property(tries = 1000)
  void anythingElseParsesToNothingAndNeverThrows(@ForAll("endpoints") NodeEndpoint e, @ForAll int at,
      @ForAll char c) {
    String uri = e.toUri();
    int i = Math.floorMod(at, uri.length());
    String changed = uri.substring(0, i) + c + uri.substring(i + 1);
    Optional<NodeEndpoint> parsed = NodeEndpoint.parse(changed);
    // a change either breaks it or (a hex digit's case, an equivalent address form) names the same or another node
    parsed.ifPresent(p -> assertEquals(p, NodeEndpoint.parse(p.toUri()).orElseThrow()));
  }
}
