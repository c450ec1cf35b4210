/**
 * The relay's sockets (Vert.x adapters around the pure {@link org.dialtone.agent.reach.relay.RelayBook}):
 * {@link org.dialtone.agent.relay.RelayServer}, which a node operator runs so that agents behind NATs can be dialled,
 * and {@link org.dialtone.agent.relay.RelayReservation}, a host agent's reservation there. The server routes and
 * wires; its parts share a {@code RelayContext} (the book and socket tables under one lock, refusal counters):
 * {@code ReservationDesk} (challenge, proof, reservation), {@code DialBack} (is a host reachable directly?) and
 * {@code CircuitSplicer} (offer, accept, splice within each circuit's limits).
 *
 * <p>Defends against: a relay reading or altering traffic (the agents' handshake and sealed frames pass through it
 * end to end: a changed byte fails the connection, tested with a tampering relay); a relay impersonating a host (the
 * host proves the dialled key to the dialler); reserving for someone else's key (the relay's fresh challenge must be
 * signed by that key); exhausting the relay (the book's limits in all, per subnet and per peer; unproven sockets
 * bounded; circuit requests rate-limited per IP address; bytes and lifetime per circuit); using the relay's
 * dial-back as a scanner or amplifier (only to the requester's own IP address, one per IP per 10 s, the answer
 * smaller than the request).
 */
package org.dialtone.agent.relay;
