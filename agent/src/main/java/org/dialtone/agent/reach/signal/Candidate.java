package org.dialtone.agent.reach.signal;

import java.util.Objects;
import java.util.Optional;
import org.dialtone.dht.net.PeerAddress;

/**
 * An address where the sender may be reached, as in ICE (RFC 8445): its local interface address (same LAN), its
 * public mapping as nodes reported it, or an address on a relay where it holds a reservation.
 *
 * @param type where the address comes from
 * @param address the address
 */
public record Candidate(Type type, PeerAddress address) {
  /** Where a candidate address comes from. */
  public enum Type {
    /** A local interface address: useful on the same LAN. */
    HOST(1),
    /** The public mapping that nodes reported (ICE's server-reflexive); port 0 for a RANDOM NAT. */
    REFLEXIVE(2),
    /** A relay's address where the sender holds a reservation. */
    RELAYED(3);

    private final int code;

    Type(int code) {
      this.code = code;
    }

    /** The wire byte. */
    public int code() {
      return code;
    }

    /** The type with this wire byte. */
    public static Optional<Type> ofCode(int code) {
      for (Type t : values()) {
        if (t.code == code) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }
  }

  /** Validates. */
  public Candidate {
    Objects.requireNonNull(type, "type must not be null");
    PeerAddress.require(address, "address");
  }
}
