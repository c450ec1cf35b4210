package org.dialtone.agent.reach.relay;

/**
 * A relay's limits, set by its operator. libp2p's defaults are for a short hop before DCUtR (2 minutes and 128 KiB
 * per circuit); ours carry whole connections when no punch works (a symmetric NAT on both sides), so a circuit may
 * last longer and carry more, and an operator lowers these to what it is willing to forward.
 *
 * @param enabled false refuses every reservation and circuit
 * @param maxReservations reservations held in all
 * @param maxReservationsPerSubnet reservations from one IPv4 /24 or IPv6 /64
 * @param reservationTtlMillis how long a reservation lasts unless renewed
 * @param maxCircuits circuits open in all
 * @param maxCircuitsPerPeer circuits open to one reserved peer
 * @param maxCircuitsPerSubnet circuits opened from one dialler subnet
 * @param circuitMaxMillis a circuit's lifetime
 * @param circuitMaxBytes bytes a circuit forwards, both directions together
 */
public record RelayLimits(
    boolean enabled,
    int maxReservations,
    int maxReservationsPerSubnet,
    long reservationTtlMillis,
    int maxCircuits,
    int maxCircuitsPerPeer,
    int maxCircuitsPerSubnet,
    long circuitMaxMillis,
    long circuitMaxBytes) {
  /** 128 reservations in all, as libp2p. */
  public static final int DEFAULT_MAX_RESERVATIONS = 128;
  /** 8 per subnet, as libp2p's per-IP limit. */
  public static final int DEFAULT_MAX_RESERVATIONS_PER_SUBNET = 8;
  /** One hour, as libp2p. */
  public static final long DEFAULT_RESERVATION_TTL_MILLIS = 60 * 60_000L;
  /** 16 circuits in all, as libp2p. */
  public static final int DEFAULT_MAX_CIRCUITS = 16;
  /** 4 circuits per reserved peer. */
  public static final int DEFAULT_MAX_CIRCUITS_PER_PEER = 4;
  /** 4 circuits per dialler subnet. */
  public static final int DEFAULT_MAX_CIRCUITS_PER_SUBNET = 4;
  /** 30 minutes per circuit. */
  public static final long DEFAULT_CIRCUIT_MAX_MILLIS = 30 * 60_000L;
  /** 1 GiB per circuit. */
  public static final long DEFAULT_CIRCUIT_MAX_BYTES = 1L << 30;

  /** Validates. */
  public RelayLimits {
    positive(maxReservations, "maxReservations");
    positive(maxReservationsPerSubnet, "maxReservationsPerSubnet");
    positive(reservationTtlMillis, "reservationTtlMillis");
    positive(maxCircuits, "maxCircuits");
    positive(maxCircuitsPerPeer, "maxCircuitsPerPeer");
    positive(maxCircuitsPerSubnet, "maxCircuitsPerSubnet");
    positive(circuitMaxMillis, "circuitMaxMillis");
    positive(circuitMaxBytes, "circuitMaxBytes");
  }

  /** The defaults above, relaying on. */
  public static RelayLimits defaults() {
    return new RelayLimits(true, DEFAULT_MAX_RESERVATIONS, DEFAULT_MAX_RESERVATIONS_PER_SUBNET,
        DEFAULT_RESERVATION_TTL_MILLIS, DEFAULT_MAX_CIRCUITS, DEFAULT_MAX_CIRCUITS_PER_PEER,
        DEFAULT_MAX_CIRCUITS_PER_SUBNET, DEFAULT_CIRCUIT_MAX_MILLIS, DEFAULT_CIRCUIT_MAX_BYTES);
  }

  /** These limits with relaying turned off. */
  public RelayLimits disabled() {
    return new RelayLimits(false, maxReservations, maxReservationsPerSubnet, reservationTtlMillis, maxCircuits,
        maxCircuitsPerPeer, maxCircuitsPerSubnet, circuitMaxMillis, circuitMaxBytes);
  }

  private static void positive(long v, String name) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
  }
}
