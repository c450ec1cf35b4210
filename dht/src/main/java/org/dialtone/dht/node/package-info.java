/**
 * The node's internals, one concept a class, all sharing a {@link org.dialtone.dht.node.NodeContext} and none
 * depending on the facade ({@link org.dialtone.dht.DhtNode} only wires them):
 * {@link org.dialtone.dht.node.DatagramDispatcher} (every datagram in: decode, count, route),
 * {@link org.dialtone.dht.node.QueryServer} (answers requests), {@link org.dialtone.dht.node.Contacts} (admits
 * contacts that prove their key), {@link org.dialtone.dht.node.LookupRunner} (drives one lookup over RPC),
 * {@link org.dialtone.dht.node.Operations} (callers' operations and their deadlines),
 * {@link org.dialtone.dht.node.PutReplicator} (a put's STOREs), {@link org.dialtone.dht.node.Bootstrap} (joining),
 * {@link org.dialtone.dht.node.Maintenance} (periodic upkeep), {@link org.dialtone.dht.node.Subscriptions} (others'
 * subscriptions), {@link org.dialtone.dht.node.SignalSender} (SIGNALs to a node that proved its key) and
 * {@link org.dialtone.dht.node.CountingTransport}. Everything runs on the node's thread. The
 * classes are public only so that the facade and the {@code watch} package can wire them; they are not API.
 *
 * <p>Threats: malformed and oversized datagrams (dropped and counted, never answered), floods (per-address rate
 * limit before any work), spoofed stores and subscriptions (write tokens bound to the address), routing-table
 * poisoning (contacts admitted only after a signed challenge; ids checked against keys), amplification (a reply never
 * larger than the datagram limit, no reply to an unwatched NOTIFY), subscription squatting (subscriptions per IP and
 * per prefix), NOTIFY fan-out (a {@link org.dialtone.dht.node.NotifyBudget} of its own, one in flight per
 * subscriber), SIGNAL as a reflector (the envelope goes only to an address that proved the named key; a reply to a
 * SIGNAL within 3x of it), unbounded state (pending verifications, subscriptions, handoffs and signals in flight
 * all capped).
 */
package org.dialtone.dht.node;
