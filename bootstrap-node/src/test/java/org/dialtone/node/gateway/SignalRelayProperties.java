package org.dialtone.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple4;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.signal.Nonce128;
import org.dialtone.agent.reach.signal.Refusal;
import org.dialtone.agent.reach.signal.SignalBody;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalKind;
import org.dialtone.agent.reach.signal.SignalTransport;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.node.limit.PrefixRateLimiter;

/**
 * {@link SignalRelay} under any sequence of inbox attaches and detaches and signals posted from a few networks, on a
 * virtual clock: a signal is delivered only to the inbox held for its recipient at that moment (never to a replaced
 * or closed one), refused NOT_ATTACHED exactly when there is none, no network holds more than its share of inboxes,
 * and no network gets more signals through than its burst plus its rate over the time that passed.
 */
class SignalRelayProperties {
  private static final long EPOCH_MILLIS = 1_800_000_000_000L;
  private static final List<Identity> AGENTS = new ArrayList<>();
  /** Pre-signed envelopes, one per (sender, recipient) of the agents: signing per try would be slow. */
  private static final Map<String, byte[]> SIGNALS = new HashMap<>();

  static {
    for (int i = 0; i < 24; i++) {
      AGENTS.add(Identity.generate());
    }
  }

  private static byte[] signal(int from, int to) {
    return SIGNALS.computeIfAbsent(from + ">" + to, k -> {
      Identity sender = AGENTS.get(from);
      SignalBody body = new SignalBody(SignalKind.REQUEST, SignalTransport.WEBRTC, NatType.UNKNOWN, Refusal.NONE,
          sender.publicKey(), AGENTS.get(to).publicKey(), Nonce128.random(), Nonce128.random(), EPOCH_MILLIS,
          EPOCH_MILLIS + 60_000, List.of(), new byte[] {'v', '=', '0'});
      return SignalCodec.encode(SignedSignal.sign(body, sender));
    });
  }

  /** (operation 0 attach, 1 detach, 2 post; agent; other agent; network 0..2, mostly 0) */
  @Provide
  Arbitrary<List<Tuple4<Integer, Integer, Integer, Integer>>> operations() {
    // attaches and posts four times as often as detaches, and most from one network, so that its share fills
    Arbitrary<Integer> op = Arbitraries.integers().between(0, 8).map(n -> n < 4 ? 0 : n == 4 ? 1 : 2);
    Arbitrary<Integer> net = Arbitraries.integers().between(0, 9).map(n -> n < 8 ? 0 : n - 7);
    Arbitrary<Integer> agent = Arbitraries.integers().between(0, AGENTS.size() - 1);
    return op.flatMap(o -> agent.flatMap(a -> agent.flatMap(b -> net.map(n -> Tuple.of(o, a, b, n)))))
        .list().ofMaxSize(300);
  }

  @Property(tries = 200)
  void deliveredOnlyToTheCurrentInboxAndNoNetworkPassesItsShares(
      @ForAll("operations") List<Tuple4<Integer, Integer, Integer, Integer>> ops) throws Exception {
    SignalRelay relay = new SignalRelay();
    Map<PublicKey, SignalRelay.Session> held = new HashMap<>();
    Map<SignalRelay.Session, List<byte[]>> received = new HashMap<>();
    Map<Integer, Integer> passed = new HashMap<>();
    List<SignalRelay.Session> replaced = new ArrayList<>();
    long nanos = 0;
    int i = 0;
    for (var op : ops) {
      nanos += 50_000_000L; // 50 ms a step
      long nowMillis = EPOCH_MILLIS + 1_000 + nanos / 1_000_000;
      InetAddress net = InetAddress.getByName("10.0." + op.get4() + "." + (1 + i++ % 250));
      PublicKey key = AGENTS.get(op.get2()).publicKey();
      switch (op.get1()) {
        case 0 -> {
          List<byte[]> inbox = new ArrayList<>();
          SignalRelay.Session[] self = new SignalRelay.Session[1];
          var s = new SignalRelay.Session(key, PrefixRateLimiter.prefixOf(net), inbox::add,
              () -> replaced.add(self[0]));
          self[0] = s;
          received.put(s, inbox);
          SignalRelay.Session before = held.get(key);
          if (relay.attach(s).isEmpty()) {
            held.put(key, s);
            // the key's older session, and only it, is told that it was replaced
            assertEquals(before == null ? List.of() : List.of(before), replaced);
          } else {
            assertTrue(replaced.isEmpty(), "a refused attach replaced " + replaced);
          }
          replaced.clear();
        }
        case 1 -> {
          SignalRelay.Session s = held.remove(key);
          if (s != null) {
            relay.detach(s);
          }
        }
        default -> {
          PublicKey to = AGENTS.get(op.get3()).publicKey();
          Map<SignalRelay.Session, Integer> before = new HashMap<>();
          received.forEach((s, l) -> before.put(s, l.size()));
          SignalRelay.Result r = relay.post(signal(op.get2(), op.get3()), net, nowMillis, nanos);
          String code = r.refusal().map(ApiError::code).orElse("DELIVERED");
          if (!code.equals("RATE_LIMITED")) {
            passed.merge(op.get4(), 1, Integer::sum);
          }
          if (code.equals("DELIVERED")) {
            assertTrue(held.containsKey(to), "delivered to an agent with no inbox");
          }
          if (code.equals("NOT_ATTACHED")) {
            assertTrue(!held.containsKey(to), "NOT_ATTACHED for an agent holding an inbox");
          }
          // only the recipient's current inbox grew, and only by a delivered signal
          for (var e : received.entrySet()) {
            int grew = e.getValue().size() - before.get(e.getKey());
            boolean current = held.get(to) == e.getKey();
            assertEquals(code.equals("DELIVERED") && current ? 1 : 0, grew, "inbox of " + e.getKey().key());
          }
        }
      }
      Map<Long, Integer> perPrefix = new HashMap<>();
      held.values().forEach(s -> perPrefix.merge(s.prefix(), 1, Integer::sum));
      assertTrue(perPrefix.values().stream().allMatch(n -> n <= SignalRelay.MAX_SESSIONS_PER_PREFIX),
          perPrefix.toString());
      assertEquals(held.size(), relay.sessions());
      double allowed = SignalRelay.SENDER_LIMITS.perPrefixBurst()
          + SignalRelay.SENDER_LIMITS.perPrefixPerSecond() * nanos / 1e9;
      for (int n : passed.values()) {
        assertTrue(n <= allowed + 1e-9, n + " signals through from one network, at most " + allowed);
      }
    }
  }
}
