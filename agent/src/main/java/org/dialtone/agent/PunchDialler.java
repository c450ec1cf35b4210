package org.dialtone.agent;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dialtone.agent.PunchResult.Outcome;
import org.dialtone.agent.PunchSteps.NotPunched;
import org.dialtone.agent.error.AgentException;
import org.dialtone.agent.quic.LoopbackBridge;
import org.dialtone.agent.quic.PunchChannel;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.punch.HolePuncher;
import org.dialtone.agent.reach.punch.RemotePeer;
import org.dialtone.agent.reach.signal.DialerExchange;
import org.dialtone.agent.reach.signal.Refusal;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalException;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.dht.time.Clock;

/**
 * The dialler's side of a punch: classify our NAT, send REQUEST on the {@value Punching#SERVICE} stream of the relayed
 * connection, read ANSWER, send SYNC, punch half the network round trip later, connect QUIC on the punched socket and
 * run the agent handshake over it; then close the relayed connection. Never fails: a punch that ends without a path
 * hands back the relayed connection and the reason.
 */
final class PunchDialler {
  private static final System.Logger LOG = System.getLogger(PunchDialler.class.getName());

  private final Clock clock;
  private final PunchSteps steps;
  private final PunchSessions sessions;
  private final ConnectionDialler dialler;

  PunchDialler(Clock clock, PunchSteps steps, PunchSessions sessions, ConnectionDialler dialler) {
    this.clock = clock;
    this.steps = steps;
    this.sessions = sessions;
    this.dialler = dialler;
  }

  CompletableFuture<PunchResult> upgrade(AgentConnection relayed) {
    long t0 = clock.nanoTime();
    if (relayed.path() != ConnectionPath.RELAYED) {
      return CompletableFuture.completedFuture(result(relayed, NatType.UNKNOWN, Outcome.NOT_RELAYED, t0));
    }
    if (!sessions.tryDial()) {
      return CompletableFuture.completedFuture(result(relayed, NatType.UNKNOWN, Outcome.BUSY, t0));
    }
    Attempt theirs = new Attempt(t0);
    CompletableFuture<PunchResult> done = new CompletableFuture<>();
    done.whenComplete((r, e) -> sessions.endDial()); // a session ends with its attempt, punched or not
    PunchChannel.open(clock).whenComplete((ch, e) -> {
      if (e != null) {
        done.complete(result(relayed, NatType.UNKNOWN, Outcome.NO_SOCKET, t0));
        return;
      }
      dial(relayed, ch, theirs).orTimeout(PunchSessions.SESSION_MILLIS, TimeUnit.MILLISECONDS).whenComplete((c, x) -> {
        if (x != null) {
          ch.close();
          PunchResult r = failed(relayed, theirs, AgentContext.unwrap(x));
          LOG.log(Level.INFO, "{0}: not punched: {1}", relayed, r.describe());
          done.complete(r);
        } else {
          theirs.step("handshake");
          relayed.close(); // the relayed circuit is no longer needed
          done.complete(result(c, theirs, Outcome.PUNCHED, ""));
        }
      });
    });
    return done;
  }

  private CompletableFuture<AgentConnection> dial(AgentConnection relayed, PunchChannel ch, Attempt attempt) {
    return steps.classify(ch).thenCompose(verdict -> {
      attempt.step("stun");
      if (verdict.type() == NatType.UNKNOWN) {
        // whatever the host's NAT, the strategy is RELAY: no need to ask it
        return CompletableFuture.failedFuture(new NotPunched(Outcome.NAT_UNKNOWN));
      }
      return relayed.open(Punching.SERVICE).thenCompose(stream -> {
        CompletableFuture<byte[]> answerBytes = new CompletableFuture<>();
        stream.handler(answerBytes::complete); // later messages: ignored
        stream.errorHandler(answerBytes::completeExceptionally);
        DialerExchange exchange = steps.dialerExchange(relayed.peer());
        stream.write(SignalCodec.encode(
            exchange.request(verdict.type(), PunchSteps.candidates(verdict), new byte[0])));
        return answerBytes.thenCompose(bytes -> {
          DialerExchange.Answer answer;
          try {
            SignedSignal signal = steps.admit(bytes, relayed.peer());
            answer = exchange.onAnswer(signal);
          } catch (SignalException e) {
            return CompletableFuture.failedFuture(e);
          }
          attempt.theirs = answer.nat();
          if (answer.refusal() != Refusal.NONE) {
            return CompletableFuture.failedFuture(new NotPunched(Outcome.of(answer.refusal())));
          }
          stream.write(SignalCodec.encode(exchange.sync()));
          RemotePeer remote = PunchSteps.remote(verdict.type(), answer.nat(), answer.candidates(),
              relayed.relayObservedPeer());
          // DCUtR halves the network round trip; the host's own time between REQUEST and ANSWER (its STUN) is not
          // part of it, and the host says how long it held the request.
          long held = PunchSteps.heldMillis(answer.payload());
          long delay = HolePuncher.dialerStartDelayMillis(Math.max(0, answer.rttMillis() - held));
          attempt.step("signals (rtt " + answer.rttMillis() + " ms, host held " + held + " ms)");
          return steps.punch(ch, verdict.type(), remote, exchange.session(), delay);
        });
      });
    }).thenCompose(punched -> {
      attempt.step("punch (" + punched.strategy() + ", " + punched.probesSent() + " probes, path "
          + punched.elapsedMillis() + " ms after the first)");
      ch.settle(punched.socket(), punched.remote()); // a birthday socket that punched carries QUIC
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

  private PunchResult result(AgentConnection c, NatType theirs, Outcome outcome, long t0) {
    return new PunchResult(c, steps.ourNat(), theirs, outcome, "", (clock.nanoTime() - t0) / 1_000_000, List.of());
  }

  private PunchResult result(AgentConnection c, Attempt a, Outcome outcome, String detail) {
    return new PunchResult(c, steps.ourNat(), a.theirs, outcome, detail, (clock.nanoTime() - a.t0) / 1_000_000,
        a.steps());
  }

  // Why an attempt that failed did not punch: the relayed connection stays.
  private PunchResult failed(AgentConnection relayed, Attempt a, Throwable cause) {
    if (cause instanceof NotPunched n) {
      return result(relayed, a, n.outcome, "");
    }
    if (cause instanceof SignalException s) {
      return result(relayed, a, Outcome.SIGNAL_REJECTED, s.error().name());
    }
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return result(relayed, a, Outcome.TIMEOUT, "");
    }
    if (cause instanceof AgentException e) {
      return result(relayed, a, Outcome.of(e.code()), e.getMessage());
    }
    return result(relayed, a, Outcome.CONNECT_FAILED, cause.getClass().getSimpleName() + ": " + cause.getMessage());
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
}
