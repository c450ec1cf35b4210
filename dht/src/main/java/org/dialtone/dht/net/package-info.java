/**
 * Peer addresses and the (id, address) pairs the wire carries: {@link org.dialtone.dht.net.PeerAddress} is an IP
 * literal and port, with the subnet grouping the routing table limits; {@link org.dialtone.dht.net.NodeInfo} is a
 * node as lookups and replies name it. No DNS anywhere.
 *
 * <p>Threats: addresses come from untrusted datagrams, so they are parsed strictly (IP literals only, no names to
 * resolve) and grouped by subnet so one network cannot fill a routing table.
 */
package org.dialtone.dht.net;
