package org.dialtone.node.lan;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.dialtone.dht.net.PeerAddress;

/** Which links LAN discovery speaks on: those of the address a node is bound to, private IPv4, multicast-capable. */
public final class LanInterfaces {
  private LanInterfaces() {}

  /** A link: its interface, our IPv4 address on it, and that address's prefix length. */
  public record LanLink(NetworkInterface nif, Inet4Address address, int prefixLength) {
    /** Whether {@code a} is on this link's subnet. */
    public boolean contains(InetAddress a) {
      if (!(a instanceof Inet4Address)) {
        return false;
      }
      int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
      return (toInt(a.getAddress()) & mask) == (toInt(address.getAddress()) & mask);
    }

    private static int toInt(byte[] b) {
      return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    LanDiscovery.Link asLink() {
      return new LanDiscovery.Link(nif.getName(), address.getAddress());
    }
  }

  /**
   * The links for a node bound to {@code bindHost}: none for a loopback address (nothing on a LAN could reach it);
   * for the wildcard address every link that is up, not loopback, multicast-capable and has a private IPv4 address;
   * for a specific address the link that holds it, if it is private and multicast-capable.
   */
  public static List<LanLink> forBindAddress(String bindHost) {
    InetAddress bind;
    try {
      bind = InetAddress.getByName(bindHost.startsWith("[") ? bindHost.substring(1, bindHost.length() - 1)
          : bindHost);
    } catch (UnknownHostException e) {
      return List.of();
    }
    if (bind.isLoopbackAddress()) {
      return List.of();
    }
    List<LanLink> out = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback() || !nif.supportsMulticast()) {
          continue;
        }
        for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
          if (ia.getAddress() instanceof Inet4Address a && PeerAddress.of(a, 0).isLocal()
              && (bind.isAnyLocalAddress() || bind.equals(a))) {
            out.add(new LanLink(nif, a, ia.getNetworkPrefixLength()));
            break; // one address per link
          }
        }
      }
    } catch (SocketException e) {
      return List.of();
    }
    return List.copyOf(out);
  }
}
