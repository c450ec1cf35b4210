package org.dialtone.dht.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A UDP endpoint: an IPv4 or IPv6 address (4 or 16 bytes) and a port. Immutable, cheap to compare and hash, and
 * never does a DNS lookup.
 */
public final class PeerAddress {
  private final byte[] ip;
  private final int port;
  private final int hash;

  private PeerAddress(byte[] ip, int port) {
    this.ip = ip;
    this.port = port;
    this.hash = 31 * Arrays.hashCode(ip) + port;
  }

  /** The endpoint with these raw address bytes (4 or 16, copied) and port (0..65535). */
  public static PeerAddress of(byte[] ip, int port) {
    if (ip.length != 4 && ip.length != 16) {
      throw new IllegalArgumentException("an IP address is 4 or 16 bytes, got " + ip.length);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("a port is 0..65535, got " + port);
    }
    return new PeerAddress(ip.clone(), port);
  }

  /** The endpoint of {@code address} and {@code port}. */
  public static PeerAddress of(InetAddress address, int port) {
    return of(address.getAddress(), port);
  }

  /** The endpoint of a resolved socket address; fails for an unresolved one. */
  public static PeerAddress of(InetSocketAddress address) {
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("unresolved address " + address);
    }
    return of(address.getAddress(), address.getPort());
  }

  /**
   * Parses {@code host:port} where host is a literal IPv4 address, a bracketed IPv6 literal ({@code [::1]:7440}) or
   * {@code localhost}. Names other than localhost are refused here: resolving them is the caller's I/O.
   */
  public static PeerAddress parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not host:port");
    }
    String host = text.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "': the port is not a number");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.equalsIgnoreCase("localhost")) {
      host = "127.0.0.1";
    }
    // Only literals: a dotted quad, or anything with a colon (IPv6). A bare word like "cafe" would be a DNS name.
    boolean ipv4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = host.indexOf(':') >= 0 && host.matches("[0-9a-fA-F:.]+");
    if (!ipv4 && !ipv6) {
      throw new IllegalArgumentException("'" + text + "': the host must be an IP literal or localhost");
    }
    try {
      return of(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "': not an IP address", e);
    }
  }

  /** A fresh copy of the 4 or 16 address bytes. */
  public byte[] ipBytes() {
    return ip.clone();
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** True for an IPv4 address. */
  public boolean isIpv4() {
    return ip.length == 4;
  }

  /** The address as a JDK value (no lookup). */
  public InetAddress inetAddress() {
    try {
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  /** The address as a JDK socket address. */
  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(inetAddress(), port);
  }

  /** The IP address in text form, without the port. */
  public String host() {
    return inetAddress().getHostAddress();
  }

  /**
   * True for addresses that are not reachable from the public internet: loopback, private (RFC 1918), link-local,
   * carrier-grade NAT (100.64/10) and IPv6 unique-local (fc00::/7).
   */
  public boolean isLocal() {
    InetAddress a = inetAddress();
    if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
      return true;
    }
    if (ip.length == 4) {
      return (ip[0] & 0xff) == 100 && (ip[1] & 0xc0) == 64;
    }
    return (ip[0] & 0xfe) == 0xfc;
  }

  /**
   * The subnet this address counts against in the routing table's limits: the /24 of an IPv4 address or the /64 of
   * an IPv6 one, as an opaque key.
   */
  public Subnet subnet() {
    return new Subnet(Arrays.copyOf(ip, ip.length == 4 ? 3 : 8));
  }

  /**
   * The prefix one operator is assumed to control, for quotas in the record store and rate limits: the /24 of an
   * IPv4 address, the /48 of an IPv6 one (a site's usual allocation; it holds 65,536 /64s, so a limit per /64 alone
   * would be 65,536 limits for one attacker).
   */
  public Subnet sourcePrefix() {
    return new Subnet(Arrays.copyOf(ip, ip.length == 4 ? 3 : 6));
  }

  /**
   * The part of the address that names one host, whatever its port: the whole IPv4 address, the /64 of an IPv6 one
   * (one host or LAN is commonly handed a whole /64). Rate limits are kept per host so rotating ports gains nothing.
   */
  public Subnet hostPrefix() {
    return new Subnet(Arrays.copyOf(ip, ip.length == 4 ? 4 : 8));
  }

  /** An address prefix used as a key: an IPv4 /24 or /32, an IPv6 /48 or /64. */
  public record Subnet(byte[] prefix) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Subnet s && Arrays.equals(s.prefix, prefix);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(prefix);
    }

    @Override
    public String toString() {
      return Arrays.toString(prefix);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerAddress p && p.port == port && p.hash == hash && Arrays.equals(p.ip, ip);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** {@code 1.2.3.4:5} or {@code [::1]:5}. */
  @Override
  public String toString() {
    String host = host();
    return (ip.length == 16 ? "[" + host + "]" : host) + ":" + port;
  }

  /** Objects.requireNonNull with a message, for the public API's arguments. */
  public static PeerAddress require(PeerAddress address, String what) {
    return Objects.requireNonNull(address, what + " must not be null");
  }
}
