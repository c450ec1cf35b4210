/**
 * The one test kit for code built on the DHT: {@link org.dialtone.dht.testkit.LocalTestnet} starts a real network on
 * loopback in one call; {@link org.dialtone.dht.testkit.SimulatedCluster} runs thousands of real nodes on the
 * simulated network ({@code org.dialtone.dht.sim}) in virtual time, reproducible from a seed.
 *
 * <p>Threats: none of its own; it binds only to loopback, so a test network is never reachable from outside the
 * machine.
 */
package org.dialtone.dht.testkit;
