/**
 * Injected time: where the protocol reads the clock and sets timers.
 *
 * <p>Protocol code never calls {@code System.nanoTime()} or a Vert.x timer; it asks a
 * {@link org.dialtone.dht.time.Scheduler} for its {@link org.dialtone.dht.time.Clock} and timers, and every callback
 * runs on the scheduler's one thread, so the protocol classes need no locks.
 * {@link org.dialtone.dht.time.VertxScheduler} runs on a Vert.x event-loop context (the only class that touches
 * Vert.x timers); {@link org.dialtone.dht.time.VirtualScheduler} runs on virtual time driven by a test or a
 * simulation, which makes timeouts and expiry testable without waiting and runs reproducible.
 *
 * <p>Threats it defends against: races between timers and handlers (one thread per scheduler, so no interleaving to
 * exploit or to get wrong); a failing callback stopping the node's timers (the Vert.x scheduler logs and contains a
 * task's exception); wall-clock jumps shortening or stretching timeouts (elapsed times and deadlines use the monotonic
 * clock; only record expiry, which is signed wall time, uses the wall clock).
 */
package org.dialtone.dht.time;
