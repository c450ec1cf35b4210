/**
 * A relay's bookkeeping, as libp2p's circuit relay v2: an agent that cannot be reached holds a
 * {@linkplain org.dialtone.agent.reach.relay.Reservation reservation} on a relay (with an expiry it renews); a
 * dialler opens a {@linkplain org.dialtone.agent.reach.relay.Circuit circuit} to a reserved agent through it; each
 * circuit ends at its byte or time limit. Pure: time from an injected clock, no sockets; the relay's data path
 * (end-to-end encrypted, so the relay can neither read nor alter what it carries) asks this book before it opens a
 * circuit and reports every byte it forwards.
 *
 * <p>Defends against exhausting a relay: every table is bounded in all and per key that costs an attacker something
 * (reservations and circuits per IP subnet, circuits per reserved peer), keys alone being free to make; an operator
 * can turn relaying off; every refusal has a named reason and is counted.
 */
package org.dialtone.agent.reach.relay;
