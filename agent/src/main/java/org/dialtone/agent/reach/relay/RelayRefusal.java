package org.dialtone.agent.reach.relay;

/** Why a relay refused a reservation or a circuit (libp2p's RESERVATION_REFUSED and friends, more precisely). */
public enum RelayRefusal {
  /** The operator turned relaying off. */
  RELAY_DISABLED,
  /** {@code maxReservations} held. */
  RESERVATIONS_FULL,
  /** {@code maxReservationsPerSubnet} held from the requester's subnet. */
  SUBNET_RESERVATIONS_FULL,
  /** The destination holds no live reservation here. */
  NO_RESERVATION,
  /** A circuit from a peer to itself. */
  SELF_CIRCUIT,
  /** {@code maxCircuits} open. */
  CIRCUITS_FULL,
  /** {@code maxCircuitsPerPeer} open to the destination. */
  PEER_CIRCUITS_FULL,
  /** {@code maxCircuitsPerSubnet} open from the dialler's subnet. */
  SUBNET_CIRCUITS_FULL
}
