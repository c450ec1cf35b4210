/** Peer addresses: IP literal and port, with the subnet grouping the routing table limits. No DNS anywhere. */
package org.dialtone.dht.net;
