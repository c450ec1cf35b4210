package org.dialtone.agent;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.dialtone.dht.crypto.PublicKey;

/** Which member of a pair in a room calls the other ({@link NumberSwarm}): both sides decide alike from the records. */
final class RoomCalls {
  private RoomCalls() {}

  /**
   * Whether this agent is the one of the pair that calls: a member reached only through a relay calls one that is
   * reachable directly (so the pair gets a direct connection and uses no relay circuit); between two alike, the
   * smaller key (bytewise) calls.
   *
   * @param weDirect whether this agent is reached at its own address
   * @param theirEndpoints the endpoints the other member's record names (empty when it is not known)
   */
  static boolean weCall(PublicKey ours, boolean weDirect, PublicKey theirs, List<String> theirEndpoints) {
    boolean theyDirect = theirEndpoints.stream().anyMatch(e -> !relayed(e));
    if (weDirect != theyDirect) {
      return !weDirect;
    }
    return Arrays.compareUnsigned(ours.toBytes(), theirs.toBytes()) < 0;
  }

  private static boolean relayed(String endpoint) {
    try {
      return ConnectionPath.ofEndpoint(URI.create(endpoint)) == ConnectionPath.RELAYED;
    } catch (IllegalArgumentException e) {
      return false; // not a URL: not a relay's either (the dial will say what is wrong with it)
    }
  }
}
