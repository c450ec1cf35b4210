package org.dialtone.agent.reach.relay;

import java.util.Objects;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;

/**
 * An open circuit from a dialler to a reserved peer.
 *
 * @param id the relay's handle
 * @param source the dialler's key
 * @param sourceAddress where the dialler's session comes from (its subnet counts against the per-subnet limit)
 * @param destination the reserved peer
 * @param closesAtMillis the end of its lifetime (monotonic ms)
 * @param byteLimit bytes it may forward, both directions together
 */
public record Circuit(long id, PublicKey source, PeerAddress sourceAddress, PublicKey destination,
    long closesAtMillis, long byteLimit) {
  /** Validates. */
  public Circuit {
    Objects.requireNonNull(source, "source must not be null");
    PeerAddress.require(sourceAddress, "sourceAddress");
    Objects.requireNonNull(destination, "destination must not be null");
  }
}
