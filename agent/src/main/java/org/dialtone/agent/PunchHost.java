package org.dialtone.agent;

import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.quic.LoopbackBridge;
import org.dialtone.agent.quic.PunchChannel;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.punch.PunchGuard;
import org.dialtone.agent.reach.punch.RemotePeer;
import org.dialtone.agent.reach.signal.HostExchange;
import org.dialtone.agent.reach.signal.Refusal;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalException;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.dht.time.Clock;

/**
 * The host's side of a punch, served as {@value Punching#SERVICE} on every connection: on REQUEST open a punch socket
 * (with a QUIC server on it), classify our NAT and ANSWER; on SYNC punch; when the dialler's QUIC connection comes up,
 * bridge it to our agent server on loopback, where the dialler must prove its key again. The session ends when QUIC
 * comes up, when the socket closes, or when the relayed connection closes before a socket was opened.
 */
final class PunchHost {
  private final Clock clock;
  private final PunchSteps steps;
  private final PunchSessions sessions;
  private final OpenConnections open;
  private final Set<Integer> punchedPorts = ConcurrentHashMap.newKeySet();

  PunchHost(Clock clock, PunchSteps steps, PunchSessions sessions, OpenConnections open) {
    this.clock = clock;
    this.steps = steps;
    this.sessions = sessions;
    this.open = open;
  }

  /** True when {@code localPort} is the loopback end of a punched QUIC path. */
  boolean punchedPort(int localPort) {
    return punchedPorts.contains(localPort);
  }

  void onStream(ServiceStream stream) {
    Optional<String> refused = sessions.tryHost(stream.connection().peer());
    if (refused.isPresent()) {
      stream.fail(AgentError.TOO_MANY_CONNECTIONS, refused.get());
      return;
    }
    Session session = new Session(stream);
    stream.handler(session::onMessage);
  }

  /** One host-side punch session: REQUEST, then SYNC, on the punch service's stream. */
  private final class Session {
    private final ServiceStream stream;
    private HostExchange exchange;
    private PunchChannel channel;
    private NatType ourNat = NatType.UNKNOWN;
    private long requestAtNanos;
    private PunchGuard.Lease reserved; // the guard's place for a wide punch, from ANSWER until the punch ends
    private boolean synced;
    private final AtomicBoolean released = new AtomicBoolean();

    Session(ServiceStream stream) {
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
        signal = steps.admit(bytes, stream.connection().peer());
        if (exchange == null) {
          exchange = steps.hostExchange(signal);
          requestAtNanos = clock.nanoTime();
          start();
        } else if (!synced && channel != null) {
          exchange.onSync(signal);
          synced = true;
          RemotePeer remote = PunchSteps.remote(ourNat, exchange.diallerNat(), exchange.diallerCandidates(),
              stream.connection().relayObservedPeer());
          steps.punch(channel, ourNat, remote, signal.body().session(), 0, reserved).whenComplete((p, e) -> {
            if (e != null) {
              channel.close();
            } else {
              channel.settle(p.socket(), p.remote()); // QUIC on the socket that punched, from the punched peer only
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
        ch.scheduler().schedule(PunchSessions.SESSION_MILLIS, () -> {
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
        steps.classify(ch).whenComplete((verdict, x) -> {
          ourNat = verdict.type();
          RemotePeer remote = PunchSteps.remote(ourNat, exchange.diallerNat(), exchange.diallerCandidates(),
              stream.connection().relayObservedPeer());
          Optional<PunchGuard.Admission> reservation = steps.reserveWide(ourNat, remote);
          if (reservation.isPresent() && reservation.get() instanceof PunchGuard.Admission.Admitted a) {
            reserved = a.lease();
            // no SYNC came (the guard lets the place lapse anyway): give it all back now; a punch ends it first
            ch.closed().thenRun(() -> reserved.end(0));
          } else if (reservation.isPresent()) {
            stream.write(SignalCodec.encode(exchange.refuse(ourNat, Refusal.BUSY)));
            ch.close();
            return;
          }
          long held = (clock.nanoTime() - requestAtNanos) / 1_000_000;
          stream.write(SignalCodec.encode(
              exchange.answer(verdict.type(), PunchSteps.candidates(verdict), PunchSteps.heldPayload(held))));
        });
      });
    }

    private void release() {
      if (released.compareAndSet(false, true)) {
        sessions.endHost(stream.connection().peer());
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
}
