package org.dialtone.agent;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.dialtone.agent.quic.PunchChannel;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.nat.NatVerdict;
import org.dialtone.agent.reach.punch.HolePuncher;
import org.dialtone.agent.reach.punch.PunchBudget;
import org.dialtone.agent.reach.punch.PunchStrategy;
import org.dialtone.agent.reach.punch.PunchGuard;
import org.dialtone.agent.reach.punch.PunchOutcome;
import org.dialtone.agent.reach.punch.RemotePeer;
import org.dialtone.agent.reach.signal.Candidate;
import org.dialtone.agent.reach.signal.DialerExchange;
import org.dialtone.agent.reach.signal.HostExchange;
import org.dialtone.agent.reach.signal.Nonce128;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalException;
import org.dialtone.agent.reach.signal.SignalGate;
import org.dialtone.agent.reach.signal.SignalTransport;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Clock;

/**
 * What both roles of a punch do alike: verify a signal from the connection's proven peer, start the signal exchange,
 * learn our mapping from the punch socket ({@link NatCheck}), punch ({@link HolePuncher}) and turn a verdict into
 * signed candidates and back.
 */
final class PunchSteps {
  private static final System.Logger LOG = System.getLogger(PunchSteps.class.getName());
  static final long SIGNAL_LIFETIME_MILLIS = 30_000;
  /**
   * How long a host holds its guard's place for a wide punch between its ANSWER and the dialler's SYNC: a dialler
   * sends SYNC as soon as it reads ANSWER, so a peer that asks and never goes on holds the place this long at most.
   */
  static final long SYNC_WAIT_MILLIS = 10_000;

  private final Identity identity;
  private final Clock clock;
  private final SignalGate gate;
  private final NatCheck nat;
  private final RelayReach relays;
  private final SecureRandom random = new SecureRandom();
  private final PunchGuard guard;

  PunchSteps(Identity identity, Clock clock, SignalGate gate, NatCheck nat, RelayReach relays, PunchGuard guard) {
    this.guard = guard;
    this.identity = identity;
    this.clock = clock;
    this.gate = gate;
    this.nat = nat;
    this.relays = relays;
  }

  /** Verifies one signal from {@code peer} to this agent, or counts why not, logs and throws. */
  SignedSignal admit(byte[] bytes, PublicKey peer) throws SignalException {
    try {
      return gate.admit(bytes, peer);
    } catch (SignalException e) {
      LOG.log(Level.INFO, "signal refused: {0} {1}", e.error(), e.getMessage());
      throw e;
    }
  }

  /** The dialler's side of the signals with {@code peer}. */
  DialerExchange dialerExchange(PublicKey peer) {
    return new DialerExchange(clock, identity, peer, SignalTransport.QUIC, random, SIGNAL_LIFETIME_MILLIS);
  }

  /** The host's side of the signals, from the dialler's (admitted) REQUEST. */
  HostExchange hostExchange(SignedSignal request) throws SignalException {
    return HostExchange.onRequest(clock, identity, random, SIGNAL_LIFETIME_MILLIS, request);
  }

  /** Asks our bootstrap nodes' STUN servers for {@code ch}'s mapping and classifies it. */
  CompletableFuture<NatVerdict> classify(PunchChannel ch) {
    return relays.relays().exceptionally(e -> List.of()).thenCompose(servers -> nat.classify(ch, servers));
  }

  /** Our NAT's latest classification. */
  NatType ourNat() {
    return nat.lastVerdict().type();
  }

  /**
   * Reserves this agent's guard for the wide punch (random ports or birthday) that {@code remote} calls for now, at
   * the moment a host answers a request, so that no other punch takes the place before this one starts: empty when
   * the punch is not wide (nothing to reserve), refused when the guard would refuse it (the host then answers BUSY
   * rather than let the dialler probe a side that will not probe back; the dialler may ask again later, a room does).
   * An admitted lease goes to {@link #punch}, or is ended by whoever drops the punch; unused, it lapses after
   * {@link #SYNC_WAIT_MILLIS}.
   */
  Optional<PunchGuard.Admission> reserveWide(NatType ourNat, RemotePeer remote) {
    PunchStrategy strategy = PunchStrategy.choose(ourNat, remote.nat());
    boolean wide = strategy == PunchStrategy.RANDOM_PORTS || strategy == PunchStrategy.BIRTHDAY;
    if (!wide || !remote.verifiedHost() || remote.addresses().isEmpty()) {
      return Optional.empty(); // not wide, or the punch fails its own preconditions: nothing to hold
    }
    return Optional.of(guard.reserve(remote.addresses().get(0).ipBytes(), PunchBudget.defaults().maxProbes(strategy),
        SYNC_WAIT_MILLIS));
  }

  /** Punches from {@code ch} towards {@code remote}, starting after {@code delayMillis}. */
  CompletableFuture<PunchOutcome.Punched> punch(PunchChannel ch, NatType ourNat, RemotePeer remote,
      Nonce128 session, long delayMillis) {
    return punch(ch, ourNat, remote, session, delayMillis, null);
  }

  /** As above, with the guard's place {@code reserved} by {@link #reserveWide} (null for none). */
  CompletableFuture<PunchOutcome.Punched> punch(PunchChannel ch, NatType ourNat, RemotePeer remote,
      Nonce128 session, long delayMillis, PunchGuard.Lease reserved) {
    CompletableFuture<PunchOutcome.Punched> f = new CompletableFuture<>();
    ch.scheduler().execute(() -> {
      HolePuncher puncher = new HolePuncher(ch.scheduler(), ch, PunchBudget.defaults(), random, ourNat, remote,
          guard, reserved);
      ch.expectProbes(ByteBuffer.allocate(16).putLong(session.high()).putLong(session.low()).array(),
          puncher::onProbe);
      puncher.outcome().whenComplete((o, e) -> {
        if (o instanceof PunchOutcome.Punched p) {
          LOG.log(Level.INFO, "punched {0} by {1} in {2} ms, {3} probes", p.remote(), p.strategy(),
              p.elapsedMillis(), p.probesSent());
          f.complete(p);
        } else if (o instanceof PunchOutcome.Failed failed) {
          f.completeExceptionally(new NotPunched(PunchResult.Outcome.of(failed.code())));
        } else {
          f.completeExceptionally(e);
        }
      });
      puncher.start(delayMillis);
    });
    return f;
  }

  /** The host's ANSWER payload (QUIC transport): how long it held the REQUEST, u32 ms. */
  static byte[] heldPayload(long heldMillis) {
    return ByteBuffer.allocate(4).putInt((int) Math.min(Integer.MAX_VALUE, heldMillis)).array();
  }

  /** Reads {@link #heldPayload}: 0 if absent or odd. */
  static long heldMillis(byte[] payload) {
    return payload.length == 4 ? Math.max(0, ByteBuffer.wrap(payload).getInt()) : 0;
  }

  /** Our candidates: the public mappings the STUN servers saw. */
  static List<Candidate> candidates(NatVerdict verdict) {
    return verdict.addresses().stream().limit(SignalCodec.MAX_CANDIDATES)
        .map(a -> new Candidate(Candidate.Type.REFLEXIVE, a)).toList();
  }

  /**
   * The peer to punch towards, from its signed candidates and the IP address the relay of our connection saw it at
   * ({@link AgentConnection#relayObservedPeer()}): random-port and birthday probes go to that host only
   * ({@link RemotePeer#fromSignal}); without it they are not sent (REMOTE_ADDRESS_UNVERIFIED).
   */
  static RemotePeer remote(NatType ours, NatType nat, List<Candidate> candidates, Optional<String> relayObserved) {
    return RemotePeer.fromSignal(ours, nat, candidates.stream().filter(c -> c.type() == Candidate.Type.REFLEXIVE)
        .map(Candidate::address).toList(), relayObserved.flatMap(PunchSteps::ipLiteral));
  }

  /** An IP literal as a relay names it (no port), else empty: a name is never resolved. */
  static Optional<PeerAddress> ipLiteral(String ip) {
    boolean v4 = ip.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = ip.contains(":") && ip.matches("[0-9A-Fa-f:.]{2,45}");
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      return Optional.of(PeerAddress.of(InetAddress.getByName(ip), 0)); // a literal: no lookup
    } catch (java.io.IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A punch that ended without a path, and why. */
  static final class NotPunched extends RuntimeException {
    final PunchResult.Outcome outcome;

    NotPunched(PunchResult.Outcome outcome) {
      super(outcome.name(), null, false, false);
      this.outcome = outcome;
    }
  }
}
