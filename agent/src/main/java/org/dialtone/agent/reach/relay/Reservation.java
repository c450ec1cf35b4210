package org.dialtone.agent.reach.relay;

import java.util.Objects;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;

/**
 * A peer's reservation: the relay accepts circuits to {@code peer} until {@code expiresAtMillis} (monotonic ms).
 *
 * @param peer the reserving agent's key (proven by the session it reserved on)
 * @param address where its session with the relay comes from
 * @param expiresAtMillis on the relay's monotonic clock
 */
public record Reservation(PublicKey peer, PeerAddress address, long expiresAtMillis) {
  /** Validates. */
  public Reservation {
    Objects.requireNonNull(peer, "peer must not be null");
    PeerAddress.require(address, "address");
  }
}
