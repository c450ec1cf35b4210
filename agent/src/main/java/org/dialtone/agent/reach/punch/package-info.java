/**
 * The hole punch as a small state machine with named outcomes, after hyperdht's {@code holepuncher.js} and libp2p's
 * DCUtR. {@link org.dialtone.agent.reach.punch.PunchStrategy#choose} picks a strategy per NAT pair (direct probes
 * for CONSISTENT with CONSISTENT; random-port probing from the CONSISTENT side and birthday sockets on the RANDOM
 * side for a mixed pair; straight to a relay for RANDOM with RANDOM or an UNKNOWN NAT);
 * {@link org.dialtone.agent.reach.punch.HolePuncher} runs it on an injected
 * {@link org.dialtone.dht.time.Scheduler} against a {@link org.dialtone.agent.reach.punch.ProbeIo} (open a socket,
 * send a probe, close a socket), and ends in {@link org.dialtone.agent.reach.punch.PunchOutcome}. Both sides start
 * together: the dialler waits half the signaling round trip after sending SYNC, the host starts when SYNC arrives.
 *
 * <p>Defends against: being used to scan or flood a third party (random-port probing and birthday sockets only
 * towards a remote host that a node verified, never a claimed one: {@link org.dialtone.agent.reach.punch.RemotePeer#fromSignal}
 * drops signalled candidates on any other host; every strategy within a probe, socket and time budget; and
 * {@link org.dialtone.agent.reach.punch.PunchGuard} over all of an agent's wide punches: one at a time per remote
 * host, two at once, a probe budget per minute per host and in all, so reconnecting cannot make a stream of it); a stranger's probe taking over the punch (only probes from the remote's host are accepted; the
 * handshake on the punched path then proves the remote's key); endless punching (a deadline, and one echo per
 * punch so two punchers cannot ping-pong).
 */
package org.dialtone.agent.reach.punch;
