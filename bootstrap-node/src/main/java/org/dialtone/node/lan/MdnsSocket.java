package org.dialtone.node.lan;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.node.lan.LanInterfaces.LanLink;

/**
 * The socket of LAN discovery: bound to the mDNS group 224.0.0.251, port 5353 (shared with other responders on the
 * host), joined on each of our links, sending with a hop limit of 255 (RFC 6762, section 11). A daemon thread reads
 * datagrams and hands each on with the link whose subnet holds its source (or none).
 */
final class MdnsSocket implements AutoCloseable {
  static final String GROUP = "224.0.0.251";
  static final int PORT = 5353;

  /** A datagram as read. */
  record Received(Optional<String> iface, PeerAddress source, byte[] data) {}

  private final MulticastSocket socket;
  private final List<LanLink> links;
  private final InetSocketAddress group;
  private final Thread reader;
  private volatile boolean closed;

  private MdnsSocket(MulticastSocket socket, List<LanLink> links, InetSocketAddress group,
      Consumer<Received> onReceive) {
    this.socket = socket;
    this.links = links;
    this.group = group;
    this.reader = new Thread(() -> readLoop(onReceive), "dialtone-lan-reader");
    reader.setDaemon(true);
  }

  static MdnsSocket open(List<LanLink> links, Consumer<Received> onReceive) throws IOException {
    InetAddress groupAddress = InetAddress.getByName(GROUP);
    MulticastSocket s = new MulticastSocket(null);
    try {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(groupAddress, PORT)); // only the group's datagrams, not every multicast joined
      s.setTimeToLive(255);
      for (LanLink l : links) {
        s.joinGroup(new InetSocketAddress(groupAddress, 0), l.nif());
      }
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    MdnsSocket m = new MdnsSocket(s, links, new InetSocketAddress(groupAddress, PORT), onReceive);
    m.reader.start();
    return m;
  }

  /** Multicasts {@code data} on the link named {@code iface}. */
  synchronized void send(String iface, byte[] data) throws IOException {
    for (LanLink l : links) {
      if (l.nif().getName().equals(iface)) {
        socket.setNetworkInterface(l.nif());
        socket.send(new DatagramPacket(data, data.length, group));
        return;
      }
    }
  }

  private void readLoop(Consumer<Received> onReceive) {
    byte[] buf = new byte[MdnsCodec.MAX_PACKET + 1]; // one byte more: an oversized packet is seen as such
    while (!closed) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (SocketException e) {
        return; // closed
      } catch (IOException e) {
        continue;
      }
      InetAddress from = p.getAddress();
      Optional<String> iface = links.stream().filter(l -> l.contains(from)).map(l -> l.nif().getName()).findFirst();
      onReceive.accept(new Received(iface, PeerAddress.of(from, p.getPort()),
          Arrays.copyOf(p.getData(), p.getLength())));
    }
  }

  @Override
  public void close() {
    closed = true;
    socket.close();
  }
}
