package org.dialtone.agent.reach.relay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.net.PeerAddress.Subnet;
import org.dialtone.dht.time.Clock;

/**
 * A relay's reservations and circuits within its {@link RelayLimits}. Pure and single-threaded: call it from the
 * relay's scheduler. Expired reservations and circuits are dropped lazily on every call, and by {@link #expire()}
 * which the owner runs on a timer to learn which circuits to tear down.
 */
public final class RelayBook {
  private final Clock clock;
  private final RelayLimits limits;
  private final Map<PublicKey, Reservation> reservations = new HashMap<>();
  private final Map<Subnet, Integer> reservationsPerSubnet = new HashMap<>();
  private final LinkedHashMap<Long, Circuit> circuits = new LinkedHashMap<>();
  private final Map<Long, Long> bytesCarried = new HashMap<>();
  private final Map<PublicKey, Integer> circuitsPerPeer = new HashMap<>();
  private final Map<Subnet, Integer> circuitsPerSubnet = new HashMap<>();
  private final EnumMap<RelayRefusal, Long> refusals = new EnumMap<>(RelayRefusal.class);
  private long nextCircuitId = 1;

  /** A book on {@code clock} within {@code limits}. */
  public RelayBook(Clock clock, RelayLimits limits) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.limits = Objects.requireNonNull(limits, "limits must not be null");
  }

  /**
   * Grants or renews {@code peer}'s reservation from {@code from}. A renewal extends the expiry and moves the
   * reservation to the new address if that address's subnet has room.
   */
  public RelayResult<Reservation> reserve(PublicKey peer, PeerAddress from) {
    Objects.requireNonNull(peer, "peer must not be null");
    PeerAddress.require(from, "from");
    expire();
    if (!limits.enabled()) {
      return refuse(RelayRefusal.RELAY_DISABLED);
    }
    Reservation previous = reservations.get(peer);
    Subnet subnet = from.subnet();
    boolean sameSubnet = previous != null && previous.address().subnet().equals(subnet);
    if (previous == null && reservations.size() >= limits.maxReservations()) {
      return refuse(RelayRefusal.RESERVATIONS_FULL);
    }
    if (!sameSubnet && reservationsPerSubnet.getOrDefault(subnet, 0) >= limits.maxReservationsPerSubnet()) {
      return refuse(RelayRefusal.SUBNET_RESERVATIONS_FULL);
    }
    if (previous != null) {
      decrement(reservationsPerSubnet, previous.address().subnet());
    }
    Reservation granted = new Reservation(peer, from, now() + limits.reservationTtlMillis());
    reservations.put(peer, granted);
    reservationsPerSubnet.merge(subnet, 1, Integer::sum);
    return new RelayResult.Granted<>(granted);
  }

  /** Drops {@code peer}'s reservation (it left); open circuits to it run on to their own limits. */
  public void cancelReservation(PublicKey peer) {
    Reservation r = reservations.remove(peer);
    if (r != null) {
      decrement(reservationsPerSubnet, r.address().subnet());
    }
  }

  /** Opens a circuit from {@code source} at {@code sourceAddress} to the reserved {@code destination}. */
  public RelayResult<Circuit> openCircuit(PublicKey source, PeerAddress sourceAddress, PublicKey destination) {
    Objects.requireNonNull(source, "source must not be null");
    PeerAddress.require(sourceAddress, "sourceAddress");
    Objects.requireNonNull(destination, "destination must not be null");
    expire();
    if (!limits.enabled()) {
      return refuse(RelayRefusal.RELAY_DISABLED);
    }
    if (source.equals(destination)) {
      return refuse(RelayRefusal.SELF_CIRCUIT);
    }
    if (!reservations.containsKey(destination)) {
      return refuse(RelayRefusal.NO_RESERVATION);
    }
    if (circuits.size() >= limits.maxCircuits()) {
      return refuse(RelayRefusal.CIRCUITS_FULL);
    }
    if (circuitsPerPeer.getOrDefault(destination, 0) >= limits.maxCircuitsPerPeer()) {
      return refuse(RelayRefusal.PEER_CIRCUITS_FULL);
    }
    Subnet subnet = sourceAddress.subnet();
    if (circuitsPerSubnet.getOrDefault(subnet, 0) >= limits.maxCircuitsPerSubnet()) {
      return refuse(RelayRefusal.SUBNET_CIRCUITS_FULL);
    }
    Circuit c = new Circuit(nextCircuitId++, source, sourceAddress, destination, now() + limits.circuitMaxMillis(),
        limits.circuitMaxBytes());
    circuits.put(c.id(), c);
    bytesCarried.put(c.id(), 0L);
    circuitsPerPeer.merge(destination, 1, Integer::sum);
    circuitsPerSubnet.merge(subnet, 1, Integer::sum);
    return new RelayResult.Granted<>(c);
  }

  /**
   * Accounts {@code bytes} about to be forwarded on a circuit, either direction. Past the byte limit or the lifetime
   * the circuit is closed and the bytes must not be forwarded.
   */
  public CarryResult carry(long circuitId, int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
    }
    Circuit c = circuits.get(circuitId);
    if (c == null) {
      return CarryResult.NO_CIRCUIT;
    }
    if (now() >= c.closesAtMillis()) {
      close(circuitId);
      return CarryResult.CLOSED_DURATION;
    }
    long total = bytesCarried.get(circuitId) + bytes;
    if (total > c.byteLimit()) {
      close(circuitId);
      return CarryResult.CLOSED_BYTE_LIMIT;
    }
    bytesCarried.put(circuitId, total);
    return CarryResult.CARRIED;
  }

  /** Closes a circuit (either end hung up). Closing twice does nothing. */
  public void close(long circuitId) {
    Circuit c = circuits.remove(circuitId);
    if (c != null) {
      bytesCarried.remove(circuitId);
      decrement(circuitsPerPeer, c.destination());
      decrement(circuitsPerSubnet, c.sourceAddress().subnet());
    }
  }

  /** Drops expired reservations and closes circuits past their lifetime; returns the circuits it closed. */
  public List<Circuit> expire() {
    long now = now();
    List<PublicKey> gone = new ArrayList<>();
    reservations.forEach((k, r) -> {
      if (now >= r.expiresAtMillis()) {
        gone.add(k);
      }
    });
    gone.forEach(this::cancelReservation);
    List<Circuit> closed = new ArrayList<>();
    for (Circuit c : circuits.values()) {
      if (now >= c.closesAtMillis()) {
        closed.add(c);
      }
    }
    closed.forEach(c -> close(c.id()));
    return Collections.unmodifiableList(closed);
  }

  /** Live reservations. */
  public int reservations() {
    return reservations.size();
  }

  /** Open circuits. */
  public int circuits() {
    return circuits.size();
  }

  /** Bytes forwarded on an open circuit so far; 0 for an unknown one. */
  public long bytesCarried(long circuitId) {
    return bytesCarried.getOrDefault(circuitId, 0L);
  }

  /** Refusals so far, by reason (for metrics). */
  public Map<RelayRefusal, Long> refusals() {
    return Collections.unmodifiableMap(new EnumMap<>(refusals));
  }

  private <T> RelayResult<T> refuse(RelayRefusal reason) {
    refusals.merge(reason, 1L, Long::sum);
    return new RelayResult.Refused<>(reason);
  }

  private static <K> void decrement(Map<K, Integer> counts, K key) {
    counts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
  }

  private long now() {
    return clock.monotonicMillis();
  }
}
