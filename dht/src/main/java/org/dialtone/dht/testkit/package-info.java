/**
 * Test kits for code built on the DHT: {@link org.dialtone.dht.testkit.LocalTestnet} starts a real network on
 * loopback in one call. For deterministic simulations on virtual time, see {@code org.dialtone.dht.sim}.
 *
 * <p>Threats it guards against: a test network reaching beyond the machine (every node binds {@code 127.0.0.1}
 * only) and leaking sockets or threads (closing the testnet closes every node and the Vert.x it made, also when
 * starting failed half-way).
 */
package org.dialtone.dht.testkit;
