package org.dialtone.dht.transport;

import org.dialtone.dht.net.PeerAddress;

/**
 * Sends and receives whole datagrams. The one seam between the protocol and the network: a Vert.x UDP socket in
 * production ({@link VertxTransport}), an in-memory network with latency, loss and partitions in simulations
 * ({@code org.dialtone.dht.sim.SimulatedNetwork}).
 *
 * <p>Delivery is best effort, as UDP: a datagram may be lost, duplicated or reordered, and nothing reports it.
 */
public interface Transport extends AutoCloseable {
  /** The address peers reach this transport on. */
  PeerAddress localAddress();

  /**
   * Every address peers reach this transport on: one, or one per family for a {@link DualStackTransport}. The
   * first is {@link #localAddress()}.
   */
  default java.util.List<PeerAddress> localAddresses() {
    return java.util.List.of(localAddress());
  }

  /**
   * Sends one datagram to {@code to}. Never blocks and never throws for a network failure. The array may be kept
   * (not copied) until it is on the wire: the caller must not change it afterwards.
   */
  void send(PeerAddress to, byte[] datagram);

  /**
   * Sets the handler for incoming datagrams, replacing any earlier one. The handler runs on the owning node's
   * scheduler thread.
   */
  void onReceive(DatagramHandler handler);

  /** Stops receiving and releases the socket. Idempotent. */
  @Override
  void close();

  /** Receives one datagram. */
  @FunctionalInterface
  interface DatagramHandler {
    /** Called for each datagram that arrives; {@code datagram} belongs to the handler from then on. */
    void onDatagram(PeerAddress from, byte[] datagram);
  }
}
