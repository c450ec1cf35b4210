/**
 * Zero configuration on a LAN: nodes advertise {@code _dialtone._udp.local} by DNS-SD over multicast DNS (RFC 6763,
 * RFC 6762; 224.0.0.251, or ff02::fb for a node bound to a unique local IPv6 address) with their node id in TXT and
 * their UDP port in SRV; a node started without {@code --bootstrap} finds the
 * nodes on its links and joins a DHT with them, and an agent command without {@code --bootstrap} finds a LAN node.
 * {@link org.dialtone.node.lan.LanDiscovery} is the protocol without I/O (injected clock); {@link
 * org.dialtone.node.lan.MdnsCodec} reads and writes the few DNS messages it needs; {@link
 * org.dialtone.node.lan.MdnsSocket} is the only class with a socket.
 *
 * <p>A number's hosts on the LAN, found directly: {@link org.dialtone.node.lan.LanHostDiscovery} (the protocol, no
 * I/O) and {@link org.dialtone.node.lan.LanHostService} (the agent's {@code LanHosts} over an {@code MdnsSocket}): a
 * host answers queries for the DNS-SD subtype of each number it hosts ({@link org.dialtone.node.lan.LanHostNames})
 * with its key as the instance name and its TCP port in SRV; a dialler asks and dials what answers. Threats: forged
 * answers (a hint only: the handshake proves the key, and the agent pins only keys a signed HOST record names);
 * amplification (nothing unsolicited, one answer per number and link per second, 10 a second in all, to the group,
 * never over 3 times the query); floods (reads capped, a lookup keeps 16 hosts, 4 per sender, answers for numbers not
 * asked refused); all counted in {@link org.dialtone.node.lan.LanHostCounters}.
 *
 * <p>Why our own mDNS and not a library: JmDNS (the maintained Java one) caches every record it hears in an unbounded
 * map for the time to live the sender claims, runs its own timers and threads (no injected clock, its own query and
 * announce schedule), drops malformed packets without telling us (so nothing could count them), and probes for a
 * unique host name, which every network namespace of a test lab shares. We need one PTR/SRV/TXT service; the codec
 * and the protocol are a few hundred lines we can bound and test.
 *
 * <p>Threats, and what stops them. A flood of packets: a token bucket on what is read, a cap on the records of one
 * packet, a table capped per interface and per sending address, and a time to live capped whatever a record claims.
 * Forged adverts: an advert is only a candidate until the DHT has pinged its address with a challenge and the answer
 * proved the key of the advertised id; a verified id is not taken over by another address. Reflection: the address
 * used is the packet's source address, never an A record, so an advert cannot aim our pings at a third host; and a
 * sender must be a private address on the subnet of one of our links (multicast DNS is link-local). Amplification and
 * chatter: queries back off to one a minute, responses are at most one per interface per second whatever arrives, and
 * a response goes to the multicast group (to everyone on the link), never to a spoofable unicast source. Leaking onto
 * a network the operator did not choose: discovery runs only on the links of the address the node is bound to (none
 * for a loopback address, the default), only on private addresses, and {@code --no-lan} turns it off. Every drop and
 * refusal is counted ({@link org.dialtone.node.lan.LanCounters}).
 */
package org.dialtone.node.lan;
