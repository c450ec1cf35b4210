package org.dialtone.agent.reach.punch;

import java.util.OptionalInt;
import org.dialtone.dht.net.PeerAddress;

/**
 * The sockets a punch drives: the one edge between {@link HolePuncher} and the network. The real adapter binds UDP
 * sockets (Netty datagram channels, which the QUIC codec then takes over); tests use a simulated NAT pair.
 *
 * <p>Socket {@link HolePuncher#MAIN_SOCKET} is the caller's main socket, the one whose mapping nodes reported; the
 * puncher never closes it. Sockets it opens it closes, except the one it hands back in
 * {@link PunchOutcome.Punched}.
 */
public interface ProbeIo {
  /** Binds one more socket on an ephemeral port; empty when none can be opened (descriptor limit). */
  OptionalInt openSocket();

  /**
   * Sends one probe from {@code socket} to {@code to}. With {@code lowTtl} the probe opens our own NAT's mapping
   * but expires before it reaches the remote's NAT (IP TTL 5, as hyperdht), so it does not trip its filters.
   */
  void sendProbe(int socket, PeerAddress to, boolean lowTtl);

  /** Closes a socket this punch opened. */
  void closeSocket(int socket);
}
