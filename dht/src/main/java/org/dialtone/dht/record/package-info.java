/**
 * Signed records and the store that holds them for other nodes.
 *
 * <p>Every value in the DHT is a {@link org.dialtone.dht.record.SignedRecord}: an immutable envelope signed by its
 * publisher's Ed25519 key. A node verifies a record before it stores it, and a reader verifies it again before it
 * believes it, so a node that lies can withhold records but never alter one.
 *
 * <p>{@link org.dialtone.dht.record.RecordStore} defends against:
 * <ul>
 *   <li><b>forged records</b>: a signature that does not verify against the publisher's key is refused with
 *       {@code BAD_SIGNATURE}; a tampered payload, sequence or expiry breaks the signature;</li>
 *   <li><b>replayed and lower-sequence records</b>: one record per (key, publisher), and only a strictly higher
 *       sequence replaces it, so an old version sent again is refused with {@code SEQ_TOO_LOW};</li>
 *   <li><b>expired and over-long records</b>: a record past its expiry is refused ({@code EXPIRED}) and vanishes from
 *       reads the moment it expires; one that claims to live longer than the node keeps records is refused
 *       ({@code EXPIRY_TOO_FAR}), so nobody pins data for ever;</li>
 *   <li><b>oversized records</b>: {@code SignedRecord} refuses payloads over
 *       {@link org.dialtone.dht.record.SignedRecord#MAX_PAYLOAD_BYTES} at construction;</li>
 *   <li><b>unbounded memory</b>: a limit per key and a limit in total ({@link org.dialtone.dht.record.StoreLimits}),
 *       with a named refusal ({@code STORE_FULL});</li>
 *   <li><b>censoring a key and flooding the store</b>: each record is charged to the network (IPv4 /24, IPv6 /48) it
 *       was stored from, and one network gets a bounded share of a key and of the store; a newcomer never evicts a
 *       live record of another publisher under a key, and in a full store only the network holding the most gives
 *       way.</li>
 * </ul>
 *
 * <p>The store's own parts are package-private: {@code StoreEntry} (a held record, its publisher bytes and source),
 * {@code KeySlot} (the records under one key and what each network holds there) and {@code PrefixShares} (what each
 * network holds in the whole store, and what it gives up first).
 *
 * <p>Nothing here does I/O or reads a clock: time is passed in, so the store runs identically in the simulator.
 */
package org.dialtone.dht.record;
