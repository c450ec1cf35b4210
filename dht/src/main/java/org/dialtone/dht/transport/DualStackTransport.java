package org.dialtone.dht.transport;

import java.util.List;
import java.util.Objects;
import org.dialtone.dht.net.PeerAddress;

/**
 * One socket per address family behind one {@link Transport}: datagrams to an IPv4 address leave through the IPv4
 * transport, to an IPv6 address through the IPv6 one, and both deliver to the same handler. This is how a node is
 * dual-stack (BEP 32 does the same with two sockets): it serves and looks up in both families, and its routing table
 * holds contacts of both.
 *
 * <p>Why two sockets rather than one IPv6 socket that also takes IPv4 (IPV6_V6ONLY off): each family binds its own
 * address, so a node on a host with a public IPv4 and a public IPv6 address binds exactly those two, and a test binds
 * {@code 127.0.0.1} and {@code ::1} instead of the wildcard; IPv4-mapped addresses never appear; and it does not
 * depend on the system's default for IPV6_V6ONLY (on by default on BSDs and Windows, and with
 * {@code net.ipv6.bindv6only=1}). Both transports must deliver on the same scheduler thread.
 */
public final class DualStackTransport implements Transport {
  private final Transport ipv4;
  private final Transport ipv6;

  /** Joins an IPv4 and an IPv6 transport; {@link #localAddress()} is the IPv4 one's. */
  public DualStackTransport(Transport ipv4, Transport ipv6) {
    this.ipv4 = Objects.requireNonNull(ipv4, "ipv4");
    this.ipv6 = Objects.requireNonNull(ipv6, "ipv6");
    if (!ipv4.localAddress().isIpv4() || ipv6.localAddress().isIpv4()) {
      throw new IllegalArgumentException("need an IPv4 and an IPv6 transport, got " + ipv4.localAddress() + " and "
          + ipv6.localAddress());
    }
  }

  /** The IPv4 transport's address (the node's first address; {@link #localAddresses()} has both). */
  @Override
  public PeerAddress localAddress() {
    return ipv4.localAddress();
  }

  /** Both addresses, IPv4 first. */
  @Override
  public List<PeerAddress> localAddresses() {
    return List.of(ipv4.localAddress(), ipv6.localAddress());
  }

  @Override
  public void send(PeerAddress to, byte[] datagram) {
    (to.isIpv4() ? ipv4 : ipv6).send(to, datagram);
  }

  @Override
  public void onReceive(DatagramHandler handler) {
    ipv4.onReceive(handler);
    ipv6.onReceive(handler);
  }

  @Override
  public void close() {
    try {
      ipv4.close();
    } finally {
      ipv6.close();
    }
  }
}
