/**
 * The iterative Kademlia lookup as a pure state machine ({@link org.dialtone.dht.lookup.Lookup}): no sockets, no
 * timers, no clock. The node feeds it replies and failures; tests and the simulator drive the same code.
 *
 * <p>Defends against: lookups that never end (a query cap and the convergence rule), asking one node twice, and
 * unbounded memory from peers that answer with floods of fresh ids (the candidate set is pruned to the closest).
 */
package org.dialtone.dht.lookup;
