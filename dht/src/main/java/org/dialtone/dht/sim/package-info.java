/**
 * A simulated network for deterministic tests and for simulations of up to 10^5 nodes on one thread.
 *
 * <p>{@link org.dialtone.dht.sim.SimulatedNetwork} hands out endpoints that implement the same
 * {@link org.dialtone.dht.transport.Transport} as the real UDP socket, so the routing table, lookups and record store
 * run unchanged on it. Datagrams travel on a {@link org.dialtone.dht.time.VirtualScheduler}: nothing happens until the
 * test drives virtual time, and a run is reproduced exactly from its seed. The network adds what real networks do to
 * UDP: latency ({@link org.dialtone.dht.sim.LatencyModel}), loss, duplication, reordering and partitions, so tests can
 * exercise timeouts, retries and split networks in milliseconds of real time.
 *
 * <p>Threats it lets tests mount: lost, duplicated and reordered datagrams, partitions and churn, against the
 * protocol's retransmission, deduplication and routing defences. It never touches a real socket, so a simulation
 * cannot send anything off the machine.
 */
package org.dialtone.dht.sim;
