package org.dialtone.agent;

import org.dialtone.dht.crypto.Identity;

import io.netty.handler.codec.quic.QuicStreamChannel;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.quic.LoopbackBridge;
import org.dialtone.agent.quic.PunchChannel;
import org.dialtone.agent.reach.nat.NatClassifier;
import org.dialtone.agent.reach.nat.NatSampling;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.nat.NatVerdict;
import org.dialtone.agent.reach.punch.HolePuncher;
import org.dialtone.agent.reach.punch.PunchBudget;
import org.dialtone.agent.reach.punch.PunchOutcome;
import org.dialtone.agent.reach.punch.RemotePeer;
import org.dialtone.agent.reach.signal.Candidate;
import org.dialtone.agent.reach.signal.DialerExchange;
import org.dialtone.agent.reach.signal.HostExchange;
import org.dialtone.agent.reach.signal.Nonce128;
import org.dialtone.agent.reach.signal.Refusal;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalError;
import org.dialtone.agent.reach.signal.SignalGate;
import org.dialtone.agent.reach.signal.SignalException;
import org.dialtone.agent.reach.signal.SignalTransport;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Clock;

/**
 * Moves a relayed connection to a punched UDP path (DCUtR over our own pieces). Inside the relayed connection, which
 * is already end-to-end authenticated and encrypted, the dialler opens the {@value #SERVICE} service; both sides
 * learn the public mapping of a fresh UDP socket from their bootstrap nodes' STUN servers and classify their NAT
 * ({@link NatClassifier}); they exchange signed REQUEST, ANSWER and SYNC signals ({@code reach.signal}), the dialler
 * measuring the round trip; both punch ({@link HolePuncher}) at RTT/2-synchronised times; on the punched socket the
 * dialler connects QUIC ({@link PunchChannel}) and runs the agent handshake over it (the host must prove the same key
 * again); then the relayed connection closes.
 *
 * <p>Bounds: {@value #MAX_SESSIONS} punch sessions at once per agent and one per peer key on the host side (more
 * are refused), each at most
 * {@value #SESSION_MILLIS} ms without a QUIC connection; signals are verified (signature, recipient, times, replay)
 * and their sender must be the connection's proven peer; every refusal is counted by reason.
 */
final class Punching {
  private static final System.Logger LOG = System.getLogger(Punching.class.getName());
  /** The service name the dialler opens on the relayed connection. */
  static final String SERVICE = "dialtone.punch";
  /** Where every node serves STUN (bootstrap-node's default). */
  static final int STUN_PORT = 3478;
  static final long STUN_TIMEOUT_MILLIS = 2_000;
  /** STUN servers asked per classification. */
  static final int MAX_STUN_SERVERS = 4;
  static final long SIGNAL_LIFETIME_MILLIS = 30_000;
  /** Punch sessions at once, both roles together. */
  static final int MAX_SESSIONS = 4;
  /** A session's socket lives at most this long unless QUIC came up on it. */
  static final long SESSION_MILLIS = 60_000;

  private final Identity identity;
  private final Clock clock;
  // Wired after the agent's parts exist (they need this punching's service first): see wire().
  private ConnectionDialler dialler;
  private RelayReach relays;
  private OpenConnections open;
  private final SignalGate gate;
  private final AtomicInteger sessions = new AtomicInteger();
  private final Set<Integer> punchedPorts = ConcurrentHashMap.newKeySet();
  /** Peers with a host-side punch session now: one each, so one peer cannot hold every session. */
  private final Set<org.dialtone.dht.crypto.PublicKey> hostPeers = ConcurrentHashMap.newKeySet();
  private final SecureRandom random = new SecureRandom();
  private volatile NatVerdict lastVerdict = new NatVerdict(NatType.UNKNOWN, List.of(), 0, 0);

  Punching(Identity identity, Clock clock) {
    this.identity = identity;
    this.clock = clock;
    this.gate = new SignalGate(clock, identity.publicKey());
  }

  /** Gives the parts a punch uses: how to dial the QUIC bridge, where the STUN servers are, our server's port. */
  void wire(ConnectionDialler dialler, RelayReach relays, OpenConnections open) {
    this.dialler = dialler;
    this.relays = relays;
    this.open = open;
  }

  /** The host side: the service the dialler opens. */
  Service service() {
    return this::onStream;
  }

  /** Our NAT's latest classification (UNKNOWN before any punch). */
  NatVerdict lastVerdict() {
    return lastVerdict;
  }

  /** Signals refused, by reason. */
  Map<SignalError, Long> refusedSignals() {
    return gate.refused();
  }

  /** True when {@code localPort} is the loopback end of a punched QUIC path on the host side. */
  boolean punchedPort(int localPort) {
    return punchedPorts.contains(localPort);
  }

  /** Verifies one signal from {@code peer} to this agent, or counts why not, logs and throws. */
  private SignedSignal admit(byte[] bytes, org.dialtone.dht.crypto.PublicKey peer) throws SignalException {
    try {
      return gate.admit(bytes, peer);
    } catch (SignalException e) {
      LOG.log(Level.INFO, "signal refused: {0} {1}", e.error(), e.getMessage());
      throw e;
    }
  }

  // ---- dialler ----

  CompletableFuture<PunchResult> upgrade(AgentConnection relayed) {
    long t0 = clock.nanoTime();
    if (relayed.path() != ConnectionPath.RELAYED) {
      return CompletableFuture.completedFuture(result(relayed, NatType.UNKNOWN, "NOT_RELAYED", t0));
    }
    if (sessions.incrementAndGet() > MAX_SESSIONS) {
      sessions.decrementAndGet();
      return CompletableFuture.completedFuture(result(relayed, NatType.UNKNOWN, "BUSY", t0));
    }
    Attempt theirs = new Attempt(t0);
    CompletableFuture<PunchResult> done = new CompletableFuture<>();
    done.whenComplete((r, e) -> sessions.decrementAndGet()); // a session ends with its attempt, punched or not
    PunchChannel.open(clock).whenComplete((ch, e) -> {
      if (e != null) {
        done.complete(result(relayed, NatType.UNKNOWN, "NO_SOCKET", t0));
        return;
      }
      dial(relayed, ch, theirs).orTimeout(SESSION_MILLIS, TimeUnit.MILLISECONDS).whenComplete((c, x) -> {
        if (x != null) {
          ch.close();
          Throwable cause = AgentContext.unwrap(x);
          String why = cause instanceof NotPunched n ? n.getMessage()
              : cause instanceof SignalException s ? s.error().name()
              : cause instanceof java.util.concurrent.TimeoutException ? "TIMEOUT"
              : cause.getClass().getSimpleName() + ": " + cause.getMessage();
          LOG.log(Level.INFO, "{0}: not punched: {1}", relayed, why);
          done.complete(result(relayed, theirs, why));
        } else {
          theirs.step("handshake");
          relayed.close(); // the relayed circuit is no longer needed
          done.complete(result(c, theirs, "PUNCHED"));
        }
      });
    });
    return done;
  }

  private CompletableFuture<AgentConnection> dial(AgentConnection relayed, PunchChannel ch, Attempt attempt) {
    return classify(ch).thenCompose(verdict -> {
      attempt.step("stun");
      if (verdict.type() == NatType.UNKNOWN) {
        // whatever the host's NAT, the strategy is RELAY: no need to ask it
        return CompletableFuture.failedFuture(new NotPunched("NAT_UNKNOWN"));
      }
      return relayed.open(SERVICE).thenCompose(stream -> {
        CompletableFuture<byte[]> answerBytes = new CompletableFuture<>();
        stream.handler(answerBytes::complete); // later messages: ignored
        stream.errorHandler(answerBytes::completeExceptionally);
        DialerExchange exchange = new DialerExchange(clock, identity, relayed.peer(), SignalTransport.QUIC,
            random, SIGNAL_LIFETIME_MILLIS);
        stream.write(SignalCodec.encode(exchange.request(verdict.type(), candidates(verdict), new byte[0])));
        return answerBytes.thenCompose(bytes -> {
          DialerExchange.Answer answer;
          try {
            SignedSignal signal = admit(bytes, relayed.peer());
            answer = exchange.onAnswer(signal);
          } catch (SignalException e) {
            return CompletableFuture.failedFuture(e);
          }
          attempt.theirs = answer.nat();
          if (answer.refusal() != Refusal.NONE) {
            return CompletableFuture.failedFuture(new NotPunched(answer.refusal().name()));
          }
          stream.write(SignalCodec.encode(exchange.sync()));
          RemotePeer remote = remote(answer.nat(), answer.candidates());
          // DCUtR halves the network round trip; the host's own time between REQUEST and ANSWER (its STUN) is not
          // part of it, and the host says how long it held the request.
          long held = heldMillis(answer.payload());
          long delay = HolePuncher.dialerStartDelayMillis(Math.max(0, answer.rttMillis() - held));
          attempt.step("signals (rtt " + answer.rttMillis() + " ms, host held " + held + " ms)");
          return punch(ch, verdict.type(), remote, exchange.session(), delay);
        });
      });
    }).thenCompose(punched -> {
      attempt.step("punch (" + punched.strategy() + ", " + punched.probesSent() + " probes, path "
          + punched.elapsedMillis() + " ms after the first)");
      return ch.dialQuic(punched.remote());
    })
        .thenCompose(quic -> {
          attempt.step("quic");
          quic.closeFuture().addListener(x -> {
            quic.parent().close();
            ch.close();
          });
          return LoopbackBridge.listenOnce(quic, 10_000);
        })
        .thenCompose(port -> dialler.dial("ws://127.0.0.1:" + port + "/", relayed.peer(), ConnectionPath.PUNCHED));
  }

  // ---- host ----

  private void onStream(ServiceStream stream) {
    if (!hostPeers.add(stream.connection().peer())) {
      stream.fail(AgentError.TOO_MANY_CONNECTIONS, "one punch at a time per peer");
      return;
    }
    if (sessions.incrementAndGet() > MAX_SESSIONS) {
      sessions.decrementAndGet();
      hostPeers.remove(stream.connection().peer());
      stream.fail(AgentError.TOO_MANY_CONNECTIONS, "at most " + MAX_SESSIONS + " punches at once");
      return;
    }
    HostSide side = new HostSide(stream);
    stream.handler(side::onMessage);
  }

  /** One host-side punch session: REQUEST, then SYNC, on the punch service's stream. */
  private final class HostSide {
    private final ServiceStream stream;
    private HostExchange exchange;
    private PunchChannel channel;
    private NatType ourNat = NatType.UNKNOWN;
    private long requestAtNanos;
    private boolean synced;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    HostSide(ServiceStream stream) {
      this.stream = stream;
      stream.connection().closed().thenRun(() -> {
        if (channel == null) {
          release();
        }
      });
    }

    void onMessage(byte[] bytes) {
      SignedSignal signal;
      try {
        signal = admit(bytes, stream.connection().peer());
        if (exchange == null) {
          exchange = HostExchange.onRequest(clock, identity, random, SIGNAL_LIFETIME_MILLIS, signal);
          requestAtNanos = clock.nanoTime();
          start();
        } else if (!synced && channel != null) {
          exchange.onSync(signal);
          synced = true;
          RemotePeer remote = remote(exchange.diallerNat(), exchange.diallerCandidates());
          punch(channel, ourNat, remote, signal.body().session(), 0).whenComplete((p, e) -> {
            if (e != null) {
              channel.close();
            } else {
              channel.admitQuicFrom(p.remote());
            }
          });
        }
      } catch (SignalException e) {
        stream.fail(AgentError.BAD_SIGNATURE, "signal refused: " + e.error());
        if (channel == null) {
          release();
        }
      }
    }

    private void start() {
      PunchChannel.open(clock).whenComplete((ch, e) -> {
        if (e != null) {
          stream.fail(AgentError.CLOSED, "no UDP socket");
          release();
          return;
        }
        channel = ch;
        ch.closed().thenRun(this::release);
        ch.scheduler().schedule(SESSION_MILLIS, () -> {
          if (!ch.hasQuic()) {
            ch.close();
          }
        });
        ch.serveQuic(quic -> {
          release(); // QUIC is up: the connection now counts against the agent server's limits, not the punch's
          quic.closeFuture().addListener(x -> {
            quic.parent().close();
            ch.close();
          });
          bridge(quic);
        });
        classify(ch).whenComplete((verdict, x) -> {
          ourNat = verdict.type();
          long held = (clock.nanoTime() - requestAtNanos) / 1_000_000;
          byte[] payload = ByteBuffer.allocate(4).putInt((int) Math.min(Integer.MAX_VALUE, held)).array();
          stream.write(SignalCodec.encode(exchange.answer(verdict.type(), candidates(verdict), payload)));
        });
      });
    }

    private void release() {
      if (released.compareAndSet(false, true)) {
        sessions.decrementAndGet();
        hostPeers.remove(stream.connection().peer());
      }
    }
  }

  private void bridge(QuicStreamChannel quic) {
    int serverPort = open.serverPort();
    if (serverPort < 0) {
      quic.close();
      return;
    }
    LoopbackBridge.connect(quic, serverPort, local -> {
      punchedPorts.add(local);
      quic.closeFuture().addListener(x -> punchedPorts.remove(local));
    });
  }

  // ---- both ----

  /** Punches from {@code ch} towards {@code remote}, starting after {@code delayMillis}. */
  private CompletableFuture<PunchOutcome.Punched> punch(PunchChannel ch, NatType ourNat, RemotePeer remote,
      Nonce128 session, long delayMillis) {
    CompletableFuture<PunchOutcome.Punched> f = new CompletableFuture<>();
    ch.scheduler().execute(() -> {
      HolePuncher puncher = new HolePuncher(ch.scheduler(), ch, PunchBudget.defaults(), random, ourNat, remote);
      ch.expectProbes(ByteBuffer.allocate(16).putLong(session.high()).putLong(session.low()).array(),
          from -> puncher.onProbe(HolePuncher.MAIN_SOCKET, from));
      puncher.outcome().whenComplete((o, e) -> {
        if (o instanceof PunchOutcome.Punched p) {
          LOG.log(Level.INFO, "punched {0} by {1} in {2} ms, {3} probes", p.remote(), p.strategy(),
              p.elapsedMillis(), p.probesSent());
          f.complete(p);
        } else if (o instanceof PunchOutcome.Failed failed) {
          f.completeExceptionally(new NotPunched(failed.code().name()));
        } else {
          f.completeExceptionally(e);
        }
      });
      puncher.start(delayMillis);
    });
    return f;
  }

  /** Asks our bootstrap nodes' STUN servers for {@code ch}'s mapping and classifies it. */
  private CompletableFuture<NatVerdict> classify(PunchChannel ch) {
    return relays.relays().exceptionally(e -> List.of()).thenCompose(relays -> {
      NatClassifier classifier = new NatClassifier(clock, NatSampling.chosenReporters());
      List<CompletableFuture<Void>> asked = new ArrayList<>();
      for (String relay : relays.subList(0, Math.min(MAX_STUN_SERVERS, relays.size()))) {
        InetSocketAddress server;
        try {
          server = new InetSocketAddress(InetAddress.getByName(URI.create(relay).getHost()), STUN_PORT);
        } catch (java.io.IOException | IllegalArgumentException e) {
          continue;
        }
        PeerAddress reporter = PeerAddress.of(server);
        asked.add(ch.mapping(server, STUN_TIMEOUT_MILLIS).handle((mapped, e) -> {
          if (e == null) {
            synchronized (classifier) {
              classifier.observe(reporter, mapped);
            }
          }
          return null;
        }));
      }
      return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(v -> {
        NatVerdict verdict;
        synchronized (classifier) {
          verdict = classifier.verdict();
        }
        lastVerdict = verdict;
        return verdict;
      });
    });
  }

  /** The host's ANSWER payload (QUIC transport): how long it held the REQUEST, u32 ms; 0 if absent or odd. */
  static long heldMillis(byte[] payload) {
    return payload.length == 4 ? Math.max(0, ByteBuffer.wrap(payload).getInt()) : 0;
  }

  private static List<Candidate> candidates(NatVerdict verdict) {
    return verdict.addresses().stream().limit(SignalCodec.MAX_CANDIDATES)
        .map(a -> new Candidate(Candidate.Type.REFLEXIVE, a)).toList();
  }

  // The remote's own claim: never "verified" (no node vouched for it), so random-port probing is not aimed at it.
  private static RemotePeer remote(NatType nat, List<Candidate> candidates) {
    return new RemotePeer(nat, candidates.stream().filter(c -> c.type() == Candidate.Type.REFLEXIVE)
        .map(Candidate::address).limit(RemotePeer.MAX_ADDRESSES).toList(), false);
  }

  private PunchResult result(AgentConnection c, NatType theirs, String outcome, long t0) {
    return new PunchResult(c, lastVerdict.type(), theirs, outcome, (clock.nanoTime() - t0) / 1_000_000, List.of());
  }

  private PunchResult result(AgentConnection c, Attempt a, String outcome) {
    return new PunchResult(c, lastVerdict.type(), a.theirs, outcome, (clock.nanoTime() - a.t0) / 1_000_000,
        a.steps());
  }

  /** One dialler-side attempt: the peer's NAT once known, and each step's duration. */
  private final class Attempt {
    final long t0;
    volatile NatType theirs = NatType.UNKNOWN;
    private final List<String> steps = new ArrayList<>();
    private long last;

    Attempt(long t0) {
      this.t0 = t0;
      this.last = t0;
    }

    synchronized void step(String what) {
      long now = clock.nanoTime();
      steps.add(what + " " + (now - last) / 1_000_000 + " ms");
      last = now;
    }

    synchronized List<String> steps() {
      return List.copyOf(steps);
    }
  }

  /** A punch that ended without a path (the reason is the message). */
  private static final class NotPunched extends RuntimeException {
    NotPunched(String reason) {
      super(reason, null, false, false);
    }
  }
}
