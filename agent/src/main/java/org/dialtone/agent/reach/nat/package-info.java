/**
 * NAT classification from the public mappings that several nodes report (the observed address in their answers), in
 * the manner of hyperdht's {@code nat.js}: CONSISTENT (one mapping whoever we talk to: cone NATs, or no NAT), RANDOM
 * (a new port per destination: symmetric NATs), or UNKNOWN (not enough agreement yet).
 *
 * <p>Defends against lying reporters: a report counts once per reporter subnet (IPv4 /24, IPv6 /64), and a mapping
 * is believed only when reporters in {@code agreeingSubnets} distinct subnets saw it. Reporters in fewer subnets than
 * that cannot make us adopt an address that no honest reporter observed, and cannot flood the bounded sample table
 * past their per-subnet share. Callers feed only answers to requests we sent (matched by transaction id), so a
 * spoofed datagram is not a report.
 */
package org.dialtone.agent.reach.nat;
