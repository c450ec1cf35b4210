package org.dialtone.node.lan;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.node.lan.LanInterfaces.LanLink;

/**
 * The socket of LAN discovery: an IPv4 socket bound to the mDNS group 224.0.0.251, port 5353 (shared with other
 * responders on the host), joined on each of our links, sending with a hop limit of 255 (RFC 6762, section 11). A
 * daemon thread reads datagrams and hands each on with the link whose subnet holds its source (or none).
 */
final class MdnsSocket implements AutoCloseable {
  static final String GROUP = "224.0.0.251";
  static final int PORT = 5353;

  /** A datagram as read. */
  record Received(Optional<String> iface, PeerAddress source, byte[] data) {}

  private final DatagramChannel channel;
  private final List<LanLink> links;
  private final InetSocketAddress group;
  private final Thread reader;
  private volatile boolean closed;

  private MdnsSocket(DatagramChannel channel, List<LanLink> links, InetSocketAddress group,
      Consumer<Received> onReceive) {
    this.channel = channel;
    this.links = links;
    this.group = group;
    this.reader = new Thread(() -> readLoop(onReceive), "dialtone-lan-reader");
    reader.setDaemon(true);
  }

  static MdnsSocket open(List<LanLink> links, Consumer<Received> onReceive) throws IOException {
    InetAddress groupAddress = InetAddress.getByName(GROUP);
    // IPv4 explicitly: a dual-stack socket would speak IPv4 multicast through mapped addresses, which fails here
    DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      c.bind(new InetSocketAddress(groupAddress, PORT)); // only the group's datagrams, not every group joined
      c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255);
      c.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true); // several nodes may share a host
      for (LanLink l : links) {
        c.join(groupAddress, l.nif());
      }
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    MdnsSocket m = new MdnsSocket(c, links, new InetSocketAddress(groupAddress, PORT), onReceive);
    m.reader.start();
    return m;
  }

  /** Multicasts {@code data} on the link named {@code iface}. */
  synchronized void send(String iface, byte[] data) throws IOException {
    for (LanLink l : links) {
      if (l.nif().getName().equals(iface)) {
        channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, l.nif());
        channel.send(ByteBuffer.wrap(data), group);
        return;
      }
    }
  }

  private void readLoop(Consumer<Received> onReceive) {
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
      onReceive.accept(new Received(iface, PeerAddress.of(a.getAddress(), a.getPort()), data));
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // closing
    }
  }
}
