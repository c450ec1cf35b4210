/**
 * Test kits for code built on the DHT: {@link org.dialtone.dht.testkit.LocalTestnet} starts a real network on
 * loopback in one call. For deterministic simulations on virtual time, see {@code org.dialtone.dht.sim}.
 */
package org.dialtone.dht.testkit;
