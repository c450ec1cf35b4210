/**
 * Peer addresses and the (id, address) pairs the wire carries: {@link org.dialtone.dht.net.PeerAddress} is an IP
 * literal and port, with the subnet grouping the routing table limits; {@link org.dialtone.dht.net.NodeInfo} is a
 * node as lookups and replies name it. No DNS anywhere.
 *
 * <p>Threats it defends against: addresses come from untrusted datagrams, so they are parsed strictly; DNS-based
 * redirection and slow lookups (an address is parsed only from an IP literal or {@code localhost}; any other host
 * name is refused); Sybil floods from one network (the /24 and /64 subnet grouping lets the routing table bound how
 * many contacts one prefix may hold); input that is not an address (the parser rejects malformed literals and ports
 * out of range with a typed error, before any socket is involved).
 */
package org.dialtone.dht.net;
