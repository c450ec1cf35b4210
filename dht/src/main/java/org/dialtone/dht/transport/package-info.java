/**
 * The datagram seam between the protocol and the network.
 *
 * <p>{@link org.dialtone.dht.transport.Transport} is the whole contract: send bytes to an address, receive datagrams
 * on the node's scheduler thread, best effort like UDP. {@link org.dialtone.dht.transport.VertxTransport} implements
 * it on a Vert.x UDP socket and is the only class that imports {@code io.vertx.core.datagram};
 * {@code org.dialtone.dht.sim.SimulatedNetwork} implements it in memory for tests and simulations.
 *
 * <p>The transport does not parse or trust anything: it hands raw bytes and the sender's address upward, where the
 * codec applies size limits first and drops what does not decode. A transport never throws for a network failure and
 * a handler's exception never closes the socket, so one bad datagram cannot take a node off the network.
 */
package org.dialtone.dht.transport;
