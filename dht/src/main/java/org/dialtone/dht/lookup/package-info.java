/**
 * The iterative Kademlia lookup as a pure state machine ({@link org.dialtone.dht.lookup.Lookup}): no sockets, no
 * timers, no clock. The node feeds it replies and failures; tests and the simulator drive the same code.
 *
 * <p>Defends against: lookups that never end (a query cap and the convergence rule), asking one node twice, and
 * unbounded memory from peers that answer with floods of fresh ids (the candidate set is pruned to the closest), and
 * poisoned answers ({@link org.dialtone.dht.lookup.LookupRules}): disjoint paths, a cap on new candidates per answer,
 * at most a few candidates of one network among the closest, and slow answers that stop holding a lookup up.
 */
package org.dialtone.dht.lookup;
