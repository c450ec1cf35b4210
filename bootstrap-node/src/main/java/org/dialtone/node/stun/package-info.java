/**
 * STUN on the node (RFC 8489, Binding only): browsers and agents learn the address their NAT gave them from our own
 * nodes instead of a third party's server. {@link org.dialtone.node.stun.StunMessage} is a strict codec for the one
 * exchange we serve, {@link org.dialtone.node.stun.StunResponder} the policy (plain, clock-driven), and
 * {@link org.dialtone.node.stun.StunServer} the Vert.x UDP adapter.
 *
 * <p>Threats: STUN is the classic reflection amplifier, so a reply is never more than 3x the request that caused it
 * (a Binding success is at most 2.6x the smallest request); replies go only to the request's source, which a spoofer
 * can forge, so each source prefix (IPv4 /24, IPv6 /48) has a small token bucket and all sources together a global
 * one; the limiter's table is bounded. Malformed datagrams are dropped and counted, never answered.
 */
package org.dialtone.node.stun;
