package org.dialtone.resolver.record;

import java.util.List;
import java.util.Objects;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.resolver.number.DialNumber;

/**
 * The recommendations one agent has made, newest last, as published under its number: the SHARE gossip. At most
 * 8 (older ones drop off), so the list always fits one record.
 *
 * @param sharer the agent's key
 * @param name the agent's display name
 * @param fromNumber the number the agent shared from
 * @param shares its recommendations, newest last
 * @param seq the envelope's sequence number
 */
public record ShareList(PublicKey sharer, String name, DialNumber fromNumber, List<Share> shares, long seq) {
  public ShareList {
    Objects.requireNonNull(sharer, "sharer");
    Objects.requireNonNull(fromNumber, "fromNumber");
    name = Limits.text("name", Objects.requireNonNull(name, "name"), Limits.MAX_NAME_CHARS);
    if (shares.size() > Limits.MAX_SHARES) {
      throw new IllegalArgumentException("at most " + Limits.MAX_SHARES + " shares, got " + shares.size());
    }
    shares = List.copyOf(shares);
  }
}
