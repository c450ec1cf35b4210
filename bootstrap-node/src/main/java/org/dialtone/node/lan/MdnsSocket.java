package org.dialtone.node.lan;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.node.lan.LanInterfaces.LanLink;

/**
 * The sockets of LAN discovery, one family (that of the links, RFC 6762, section 11: hop limit 255, port 5353).
 * IPv4: one socket bound to the group 224.0.0.251 (shared with other responders on the host), joined on each link.
 * IPv6: per link, a socket bound to ff02::fb on that link (a link-scope group needs its link) to read, and one bound
 * to our unique local address on it, port 5353, to send, so that what we send comes from the address the DHT can
 * reach (the kernel would pick the link-local one, which a DHT address cannot carry). Daemon threads read datagrams
 * and hand each on with the link whose subnet holds its source (or none).
 */
final class MdnsSocket implements AutoCloseable {
  static final String GROUP = "224.0.0.251";
  static final String GROUP6 = "ff02::fb";
  static final int PORT = 5353;

  /** A datagram as read. */
  record Received(Optional<String> iface, PeerAddress source, byte[] data) {}

  private final List<LanLink> links;
  private final List<DatagramChannel> readers = new ArrayList<>();
  /** Where each link's datagrams are sent from, by interface name. */
  private final Map<String, DatagramChannel> senders = new LinkedHashMap<>();
  private final Map<String, InetSocketAddress> groups = new LinkedHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;

  private MdnsSocket(List<LanLink> links) {
    this.links = links;
  }

  static MdnsSocket open(List<LanLink> links, Consumer<Received> onReceive) throws IOException {
    MdnsSocket m = new MdnsSocket(links);
    try {
      if (links.stream().allMatch(l -> !l.ipv6())) {
        m.openIpv4();
      } else if (links.stream().allMatch(LanLink::ipv6)) {
        m.openIpv6();
      } else {
        throw new IllegalArgumentException("the links of one socket have one family");
      }
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
    for (DatagramChannel c : m.readers) {
      Thread t = new Thread(() -> m.readLoop(c, onReceive), "dialtone-lan-reader");
      t.setDaemon(true);
      m.threads.add(t);
    }
    m.threads.forEach(Thread::start);
    return m;
  }

  private void openIpv4() throws IOException {
    InetAddress groupAddress = InetAddress.getByName(GROUP);
    // IPv4 explicitly: a dual-stack socket would speak IPv4 multicast through mapped addresses, which fails here
    DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
    readers.add(c);
    c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    c.bind(new InetSocketAddress(groupAddress, PORT)); // only the group's datagrams, not every group joined
    c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255);
    c.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true); // several nodes may share a host
    for (LanLink l : links) {
      c.join(groupAddress, l.nif());
      senders.put(l.nif().getName(), c);
      groups.put(l.nif().getName(), new InetSocketAddress(groupAddress, PORT));
    }
  }

  private void openIpv6() throws IOException {
    byte[] group = InetAddress.getByName(GROUP6).getAddress();
    for (LanLink l : links) {
      InetAddress onLink = Inet6Address.getByAddress(null, group, l.nif());
      DatagramChannel in = DatagramChannel.open(StandardProtocolFamily.INET6);
      readers.add(in);
      in.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      in.bind(new InetSocketAddress(onLink, PORT));
      in.join(InetAddress.getByAddress(group), l.nif());
      DatagramChannel out = DatagramChannel.open(StandardProtocolFamily.INET6);
      senders.put(l.nif().getName(), out);
      out.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      out.bind(new InetSocketAddress(l.address(), PORT));
      out.setOption(StandardSocketOptions.IP_MULTICAST_IF, l.nif());
      out.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255);
      out.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      groups.put(l.nif().getName(), new InetSocketAddress(onLink, PORT));
    }
  }

  /** Multicasts {@code data} on the link named {@code iface}. */
  synchronized void send(String iface, byte[] data) throws IOException {
    for (LanLink l : links) {
      if (l.nif().getName().equals(iface)) {
        DatagramChannel c = senders.get(iface);
        c.setOption(StandardSocketOptions.IP_MULTICAST_IF, l.nif());
        c.send(ByteBuffer.wrap(data), groups.get(iface));
        return;
      }
    }
  }

  private void readLoop(DatagramChannel channel, Consumer<Received> onReceive) {
    ByteBuffer buf = ByteBuffer.allocate(MdnsCodec.MAX_PACKET + 1); // one more: an oversized packet shows as such
    while (!closed) {
      SocketAddress from;
      try {
        buf.clear();
        from = channel.receive(buf);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        continue;
      }
      if (!(from instanceof InetSocketAddress a) || a.getAddress() == null) {
        continue;
      }
      buf.flip();
      byte[] data = new byte[buf.remaining()];
      buf.get(data);
      Optional<String> iface = links.stream().filter(l -> l.contains(a.getAddress())).map(l -> l.nif().getName())
          .findFirst();
      onReceive.accept(new Received(iface, PeerAddress.of(a.getAddress().getAddress(), a.getPort()), data));
    }
  }

  @Override
  public void close() {
    closed = true;
    List<DatagramChannel> all = new ArrayList<>(readers);
    all.addAll(senders.values());
    for (DatagramChannel c : all) {
      try {
        c.close();
      } catch (IOException e) {
        // closing
      }
    }
  }
}
