/**
 * Reachability for agents behind NATs (issue 11): the pure parts, each driven by an injected clock or scheduler and
 * tested without sockets. {@code nat} classifies the NAT from the mappings that nodes report; {@code punch} plans and
 * runs a hole punch as a state machine with named outcomes; {@code relay} keeps a relay's reservations and circuits
 * within limits; {@code signal} is the signed connect request and answer that nodes forward between agents.
 *
 * <p>None of it is wired into the DHT or the agent yet: see "NAT traversal: design" in {@code docs/connections.md}
 * for what is built, what is measured, and what remains.
 *
 * <p>Defends against (details in each package): reporters that lie about our mapping, punches that spray an
 * unverified address, relays exhausted by one peer or prefix, and forged, redirected or replayed signaling.
 */
package org.dialtone.agent.reach;
