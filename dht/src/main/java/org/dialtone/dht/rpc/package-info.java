/**
 * Request handling guards: who may store, and how often anyone may ask.
 *
 * <ul>
 *   <li>{@link org.dialtone.dht.rpc.TokenManager} issues BEP 5-style write tokens. A STORE is accepted only with a
 *       token this node recently handed to the same IP address and port, which stops anyone from making the node store
 *       records on behalf of a spoofed source address (and from using it to amplify traffic at a victim). Tokens are
 *       HMACs under rotating secrets, so they cost no per-peer memory.</li>
 *   <li>{@link org.dialtone.dht.rpc.RateLimiter} keeps a token bucket per source address, so a single flooding peer is
 *       refused ({@code RATE_LIMITED}) while everyone else is served; the set of tracked addresses is bounded and
 *       evicts the least recently seen.</li>
 * </ul>
 *
 * <p>Neither reads a clock or starts a timer: time is passed in, and both are owned by the node's event loop.
 */
package org.dialtone.dht.rpc;
