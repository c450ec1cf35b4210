/**
 * Dialtone's Kademlia DHT. {@link org.dialtone.dht.DhtNode} is the entry point: a node on a
 * {@link org.dialtone.dht.transport.Transport}, driven by a {@link org.dialtone.dht.time.Scheduler}, storing and
 * finding {@link org.dialtone.dht.record.SignedRecord}s under 256-bit keys, and {@linkplain
 * org.dialtone.dht.DhtNode#watch watching} keys for new records.
 *
 * <p>This package is the API only: the node and its factory. What they take and return is in {@code api}, the typed
 * errors in {@code error}. The node only wires parts together: its internals are in {@code node} (serving,
 * contacts, lookups), {@code watch} and {@code publish}; the protocol lives in plain classes without I/O: the routing
 * table ({@code routing}), the lookup state machine ({@code lookup}), the record store ({@code record}), the codec
 * ({@code wire}) and the RPC layer ({@code rpc}). The same code runs on real UDP and on the simulated network.
 *
 * <p>Threats it defends against: malformed and oversized datagrams (dropped and counted, never thrown), spoofed
 * replies (matched on random transaction id and address), spoofed stores and subscriptions (write tokens bound to
 * the requester's address), forged or replayed records (signatures verified on store, on read and on notification;
 * sequence numbers only go up), routing-table poisoning (contacts admitted only after proving their key; per-subnet
 * limits), floods (per-address rate limits) and unbounded memory (every table, cache and queue has a limit).
 */
package org.dialtone.dht;
