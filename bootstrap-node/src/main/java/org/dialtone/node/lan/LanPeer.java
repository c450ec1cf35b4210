package org.dialtone.node.lan;

import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;

/**
 * A node seen on the LAN, not yet trusted: the id it claims and the UDP address it gave (the packet's source
 * address with the port from its SRV record).
 *
 * @param iface the interface it was heard on
 */
public record LanPeer(NodeId id, PeerAddress address, String iface) {}
