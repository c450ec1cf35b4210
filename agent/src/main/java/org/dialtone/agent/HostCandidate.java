package org.dialtone.agent;

import java.util.Optional;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;

/**
 * One agent that hosts a number, as a caller must see it to choose: its key (the only thing that cannot be forged),
 * its display name (anyone can pick any name), when its HOST record was last signed, and since when this agent has
 * trusted it for the number, if it has.
 *
 * @param number the number
 * @param key the host's public key
 * @param name the display name it gave itself
 * @param signedAtMillis when its current HOST record was signed (its sequence number, epoch milliseconds)
 * @param trustedSinceMillis when this agent first connected to this key on this number, if it has
 * @param info the verified HOST record's contents
 */
public record HostCandidate(DialNumber number, PublicKey key, String name, long signedAtMillis,
    Optional<Long> trustedSinceMillis, AgentInfo info) {

  /** One line for people: name, full key, when signed, whether trusted. */
  public String describe() {
    return name + " key=" + key.toHex() + " signed=" + java.time.Instant.ofEpochMilli(signedAtMillis)
        + trustedSinceMillis.map(t -> " trusted-since=" + java.time.Instant.ofEpochMilli(t)).orElse("");
  }
}
