/**
 * The Kademlia routing table: which peers this node knows, filed in 256 buckets by the length of the id prefix they
 * share with us, and how it answers "who is nearest to this key".
 *
 * <p>The table is a plain object: no sockets, no timers, no threads. Time is passed in as milliseconds. An insert
 * answers with an {@link org.dialtone.dht.routing.InsertResult} (inserted, updated, pending a liveness check, or
 * rejected with a reason) and the owner does the probing: when a bucket is full the table names its least recently
 * seen contact, the owner pings it and reports back with
 * {@link org.dialtone.dht.routing.RoutingTable#onCheckResult}. Live old contacts are kept in preference to new ones,
 * as in the Kademlia paper: long-lived nodes are the likeliest to stay, and a flood of new ids cannot push them out.
 *
 * <p>What it defends against:
 * <ul>
 *   <li><b>Forged and unreachable contacts.</b> Only {@link org.dialtone.dht.routing.Contact}s whose id is the hash of
 *       their public key are representable, and {@link org.dialtone.dht.routing.RoutingTable#offer} is only for
 *       contacts that answered us and proved their key. Ids merely mentioned by other peers never enter the table.</li>
 *   <li><b>Eclipse and Sybil attacks.</b> Ids are cheap to mint, addresses less so: per-subnet limits (an IPv4 /24 or
 *       IPv6 /48) per bucket and across the table, as in S/Kademlia and Ethereum's discv5, so one network cannot fill a
 *       bucket or the table around a target. Limits apply to public addresses by default and optionally to all.
 *       Replacements promoted after an eviction are held to the same limits.</li>
 *   <li><b>Stale-address hijack.</b> A known id showing up at a different address is
 *       {@link org.dialtone.dht.routing.InsertResult.Reason#ADDRESS_MISMATCH rejected}: the old, proven address is kept
 *       until it fails, so a peer cannot redirect traffic for another id by claiming it from elsewhere.</li>
 *   <li><b>Memory exhaustion.</b> Everything is bounded: at most k contacts and a fixed-size replacement cache per
 *       bucket, and at most one liveness check per bucket in flight.</li>
 * </ul>
 *
 * <p>Single-threaded: the node's event loop owns the table. No locks.
 */
package org.dialtone.dht.routing;
