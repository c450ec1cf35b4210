package org.dialtone.agent;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.dialtone.agent.quic.PunchChannel;
import org.dialtone.agent.reach.nat.NatClassifier;
import org.dialtone.agent.reach.punch.HolePuncher;
import org.dialtone.agent.reach.punch.PunchGuard;
import org.dialtone.agent.reach.signal.SignalError;
import org.dialtone.agent.reach.signal.SignalGate;
import org.dialtone.dht.crypto.Identity;
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
 * <p>This class wires the parts: {@link PunchDialler} and {@link PunchHost} (the two roles), {@link PunchSteps}
 * (what both do alike), {@link NatCheck} (STUN) and {@link PunchSessions} (the bounds).
 *
 * <p>Bounds: {@value PunchSessions#MAX_SESSIONS} punch sessions at once per agent and one per peer key on the host
 * side (more are refused), each at most {@value PunchSessions#SESSION_MILLIS} ms without a QUIC connection; signals
 * are verified (signature, recipient, times, replay) and their sender must be the connection's proven peer; every
 * refusal is counted by reason.
 */
final class Punching {
  /** The service name the dialler opens on the relayed connection. */
  static final String SERVICE = "dialtone.punch";

  private final Identity identity;
  private final Clock clock;
  private final SignalGate gate;
  private final NatCheck nat;
  private final PunchSessions sessions = new PunchSessions();
  /** This agent's bounds over random-port and birthday punches, both roles together. */
  private final PunchGuard guard;
  // Made in wire(), after the agent's parts exist (they need this punching's service first).
  private PunchDialler dialler;
  private PunchHost host;

  Punching(Identity identity, Clock clock) {
    this.identity = identity;
    this.clock = clock;
    this.gate = new SignalGate(clock, identity.publicKey());
    this.nat = new NatCheck(clock);
    this.guard = new PunchGuard(clock, PunchGuard.Limits.defaults());
  }

  /** Gives the parts a punch uses: how to dial the QUIC bridge, where the STUN servers are, our server's port. */
  void wire(ConnectionDialler connections, RelayReach relays, OpenConnections open) {
    PunchSteps steps = new PunchSteps(identity, clock, gate, nat, relays, guard);
    this.dialler = new PunchDialler(clock, steps, sessions, connections);
    this.host = new PunchHost(clock, steps, sessions, open);
  }

  /** The host side: the service the dialler opens. */
  Service service() {
    return stream -> host.onStream(stream);
  }

  /** The dialler side: tries to move {@code relayed} to a punched path; never fails. */
  CompletableFuture<PunchResult> upgrade(AgentConnection relayed) {
    return dialler.upgrade(relayed);
  }

  /** Where the verdict is kept, with the last dial-back's result (the agent's {@code natStatus()}). */
  NatCheck natCheck() {
    return nat;
  }

  /** Signals refused, by reason. */
  Map<SignalError, Long> refusedSignals() {
    return gate.refused();
  }

  /** True when {@code localPort} is the loopback end of a punched QUIC path on the host side. */
  boolean punchedPort(int localPort) {
    return host.punchedPort(localPort);
  }
}
