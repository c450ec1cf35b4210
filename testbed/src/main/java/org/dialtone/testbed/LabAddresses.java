package org.dialtone.testbed;

/**
 * The lab's address plan, all of it inside the lab's namespaces: public hosts on 10.77.0.0/24 (a data centre's
 * network), each home router on a /24 of its own (as homes are on the internet, so per-network limits such as a
 * relay's circuits per calling /24 or a node's records per network see one network per home), LANs on
 * 192.168.n.0/24, and IPv6 unique local addresses (RFC 4193) with a /48 per site and a /64 per line.
 */
final class LabAddresses {
  /** Sites of hosts with a /48 of their own: above the shared ones a spec may name (1..4095). */
  static final int OWN_SITES = 0x1000;

  private LabAddresses() {}

  /** The IPv4 address of the public host on line {@code line} (0-based). */
  static String publicHost(int line) {
    return Lab.INTERNET_PREFIX + "0." + (2 + line);
  }

  /** The IPv4 address of the {@code n}-th home router (1-based), on its own /24. */
  static String homeRouter(int n) {
    return Lab.INTERNET_PREFIX + (100 + n) + ".2";
  }

  /**
   * The unique local address of line {@code line} in site {@code site} (0: a site of its own): {@code
   * fd77:<site>:0:<line+1>::2}, so a site is the /48 {@code fd77:<site>:0::/48} and every line its own /64 in it.
   */
  static String ipv6(int site, int line) {
    int s = site == 0 ? OWN_SITES + line : site;
    return "fd77:" + Integer.toHexString(s) + ":0:" + Integer.toHexString(line + 1) + "::2";
  }
}
