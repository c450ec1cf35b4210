/**
 * The one test kit for code built on the DHT: {@link org.dialtone.dht.testkit.LocalTestnet} starts a real network on
 * loopback in one call; {@link org.dialtone.dht.testkit.SimulatedCluster} runs thousands of real nodes on the
 * simulated network ({@code org.dialtone.dht.sim}) in virtual time, reproducible from a seed.
 *
 * <p>Threats it guards against: a test network reaching beyond the machine (every node binds {@code 127.0.0.1}
 * only; a simulated cluster has no socket at all) and leaking sockets or threads (closing the testnet closes every
 * node and the Vert.x it made, also when starting failed half-way).
 */
package org.dialtone.dht.testkit;
