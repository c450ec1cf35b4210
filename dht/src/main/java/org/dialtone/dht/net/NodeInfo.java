package org.dialtone.dht.net;

import java.util.Objects;
import org.dialtone.dht.id.NodeId;

/** A node as one peer tells another about it: its claimed id and where it listens. Nothing here is verified. */
public record NodeInfo(NodeId id, PeerAddress address) {
  public NodeInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
  }
}
