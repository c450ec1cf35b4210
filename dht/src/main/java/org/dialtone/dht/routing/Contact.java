package org.dialtone.dht.routing;

import java.util.Objects;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;

/**
 * A peer as the routing table holds it: its id, the public key that id is the hash of, and the address it answered
 * from. The id is checked against the key on construction, so a contact cannot claim an id it does not own.
 */
public record Contact(NodeId id, PublicKey publicKey, PeerAddress address) {
  /** Fails with {@link IllegalArgumentException} unless {@code id} is the node id of {@code publicKey}. */
  public Contact {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(address, "address");
    if (!id.equals(publicKey.nodeId())) {
      throw new IllegalArgumentException(
          "id " + id.shortHex() + " is not the node id of key " + publicKey.toHex().substring(0, 8));
    }
  }

  /** The contact for {@code publicKey} at {@code address}, its id derived from the key. */
  public static Contact of(PublicKey publicKey, PeerAddress address) {
    return new Contact(publicKey.nodeId(), publicKey, address);
  }

  @Override
  public String toString() {
    return "Contact[" + id.shortHex() + "@" + address + "]";
  }
}
