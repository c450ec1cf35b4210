package org.dialtone.testbed;

import org.dialtone.testbed.linux.Shell;

/**
 * A home router in its namespace: forwards, bridges its LAN (192.168.n.0/24, itself at .1) and translates as its
 * {@link NatType} says, with nftables: CONE is Linux's port-preserving masquerade (endpoint-independent mapping),
 * SYMMETRIC masquerades to a random port per new flow (address-and-port-dependent mapping); both drop unsolicited
 * inbound on the WAN side (address-and-port-dependent filtering); NONE only routes.
 */
final class HomeRouter {
  private HomeRouter() {}

  static void build(NatType nat, String ns, int lan) {
    Shell.sysctl(ns, "net.ipv4.ip_forward=1");
    Shell.sysctl(ns, "net.ipv4.conf.all.rp_filter=0");
    Shell.run("ip", "-n", ns, "link", "add", "br0", "type", "bridge");
    Shell.run("ip", "-n", ns, "addr", "add", "192.168." + lan + ".1/24", "dev", "br0");
    Shell.run("ip", "-n", ns, "link", "set", "br0", "up");
    String filter = """
        table inet dtfilter {
          chain forward_filter { type filter hook forward priority 0; policy accept;
            ct state established,related accept; iifname "wan0" counter drop; }
          chain input_filter { type filter hook input priority 0; policy accept;
            ct state established,related accept; iifname "wan0" meta l4proto { udp, tcp } counter drop; }
        }
        """;
    switch (nat) {
      case NONE -> { } // routed: the core routes the LAN to us, we forward both ways
      // Linux keeps the LAN source port when it is free (port preservation): one mapping whatever the destination.
      case CONE -> Shell.nft(ns, "table ip dtnat {\n  chain post { type nat hook postrouting priority 100; "
          + "oifname \"wan0\" masquerade; }\n}\n" + filter);
      // A random port for every new conntrack entry, i.e. for every destination address and port.
      case SYMMETRIC -> Shell.nft(ns, "table ip dtnat {\n  chain post { type nat hook postrouting priority 100; "
          + "oifname \"wan0\" masquerade fully-random; }\n}\n" + filter);
    }
  }
}
