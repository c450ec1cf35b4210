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

/**
 * Which links LAN discovery speaks on: those of the address a node is bound to, multicast-capable, with a private
 * IPv4 address (mDNS on 224.0.0.251) or, for a node bound to IPv6, a unique local IPv6 address (ff02::fb; a
 * link-local address alone does not do: the DHT's addresses carry no scope).
 */
public final class LanInterfaces {
  private LanInterfaces() {}

  /** A link: its interface, our address on it (IPv4, or unique local IPv6), and that address's prefix length. */
  public record LanLink(NetworkInterface nif, InetAddress address, int prefixLength) {
    /** Whether {@code a} is on this link's subnet (same family, same first {@code prefixLength} bits). */
    public boolean contains(InetAddress a) {
      byte[] x = a.getAddress();
      byte[] ours = address.getAddress();
      if (x.length != ours.length) {
        return false;
      }
      int bits = Math.min(prefixLength, ours.length * 8);
      for (int i = 0; i < bits; i++) {
        int bit = 0x80 >> (i % 8);
        if ((x[i / 8] & bit) != (ours[i / 8] & bit)) {
          return false;
        }
      }
      return true;
    }

    /** Whether this link speaks IPv6 (ff02::fb) rather than IPv4 (224.0.0.251). */
    public boolean ipv6() {
      return !(address instanceof Inet4Address);
    }

    LanDiscovery.Link asLink() {
      return new LanDiscovery.Link(nif.getName(), address.getAddress());
    }
  }

  /**
   * The links for a node bound to {@code bindHost}: none for a loopback address (nothing on a LAN could reach it);
   * for {@code 0.0.0.0} every link that is up, not loopback, multicast-capable and has a private IPv4 address; for
   * {@code ::} every such link with a unique local IPv6 address; for a specific address the link that holds it, if it
   * is private (IPv4) or unique local (IPv6) and multicast-capable. One family per call: a socket has one.
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
          InetAddress a = ia.getAddress();
          boolean sameFamily = (a instanceof Inet4Address) == (bind instanceof Inet4Address);
          if (sameFamily && PeerAddress.of(a, 0).isLocal() && !a.isLinkLocalAddress()
              && (bind.isAnyLocalAddress() || bind.equals(a))) {
            out.add(new LanLink(nif, withoutScope(a), ia.getNetworkPrefixLength()));
            break; // one address per link
          }
        }
      }
    } catch (SocketException e) {
      return List.of();
    }
    return List.copyOf(out);
  }

  /** The address without an IPv6 scope (equal to the same address as read from a packet or parsed). */
  private static InetAddress withoutScope(InetAddress a) {
    try {
      return InetAddress.getByAddress(a.getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are an address", e);
    }
  }
}
