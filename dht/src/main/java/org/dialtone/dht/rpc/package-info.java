/**
 * Request handling guards: who may store, how often anyone may ask, and how much a node may send to an address that
 * has not shown it receives.
 *
 * <ul>
 *   <li>{@link org.dialtone.dht.rpc.TokenManager} issues BEP 5-style write tokens. A STORE is accepted only with a
 *       token this node recently handed to the same IP address and port, which stops anyone from making the node store
 *       records on behalf of a spoofed source address (and from using it to amplify traffic at a victim). Tokens are
 *       HMACs under rotating secrets, so they cost no per-peer memory.</li>
 *   <li>{@link org.dialtone.dht.rpc.RequestLimiter} keeps token buckets ({@link org.dialtone.dht.rpc.RateLimiter})
 *       per host (IPv4 address, IPv6 /64, any port) and per network (IPv4 /24, IPv6 /48), so a flooding peer is
 *       dropped while everyone else is served, and rotating ports or hosts within a network gains little; the
 *       tracked keys are bounded and the least recently seen forgotten.</li>
 *   <li>{@link org.dialtone.dht.rpc.AmplificationGuard} holds the replies, and the follow-up PINGs
 *       ({@link org.dialtone.dht.rpc.Rpc#sendFollowUp}) with their retransmissions, sent to an address that has not
 *       completed a round trip to three times what it sent (QUIC's anti-amplification rule), so a forged source
 *       address cannot turn the node into a reflector.</li>
 * </ul>
 *
 * <p>None reads a clock or starts a timer: time is passed in, and all are owned by the node's event loop.
 */
package org.dialtone.dht.rpc;
