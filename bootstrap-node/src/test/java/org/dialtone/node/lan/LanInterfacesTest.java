package org.dialtone.node.lan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Discovery speaks only on the links of the bind address: none for loopback (the default, and every test's node),
 * so no test's node sends mDNS onto the machine's own network.
 */
class LanInterfacesTest {
  @Test
  void aLoopbackOrUnknownBindAddressHasNoLink() {
    assertEquals(List.of(), LanInterfaces.forBindAddress("127.0.0.1"));
    assertEquals(List.of(), LanInterfaces.forBindAddress("::1"));
    assertEquals(List.of(), LanInterfaces.forBindAddress("[::1]"));
    assertEquals(List.of(), LanInterfaces.forBindAddress("localhost"));
    assertEquals(List.of(), LanInterfaces.forBindAddress("no-such-host.invalid"));
  }

  @Test
  void aLinkHoldsItsSubnetOnly() throws Exception {
    var nif = java.net.NetworkInterface.getByIndex(1);
    if (nif == null) {
      nif = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).get(0);
    }
    var link = new LanInterfaces.LanLink(nif, InetAddress.getByName("192.168.1.10"), 24);
    assertTrue(link.contains(InetAddress.getByName("192.168.1.250")));
    assertFalse(link.contains(InetAddress.getByName("192.168.2.10")));
    assertFalse(link.contains(InetAddress.getByName("::1")));
    var wide = new LanInterfaces.LanLink(nif, InetAddress.getByName("10.1.2.3"), 8);
    assertTrue(wide.contains(InetAddress.getByName("10.200.0.1")));
    var v6 = new LanInterfaces.LanLink(nif, InetAddress.getByName("fd77:ee::11"), 64);
    assertTrue(v6.ipv6());
    assertTrue(v6.contains(InetAddress.getByName("fd77:ee::ffff:1")));
    assertFalse(v6.contains(InetAddress.getByName("fd77:ee:0:1::11")), "another /64");
    assertFalse(v6.contains(InetAddress.getByName("192.168.1.10")), "another family");
    assertFalse(link.ipv6());
  }

  @Test
  void anAdvertOnAnIpv6LinkCarriesAnAaaaRecord() throws Exception {
    byte[] ip = InetAddress.getByName("fd77:ee::11").getAddress();
    MdnsCodec.Packet p = MdnsCodec.decode(MdnsCodec.response(LanDiscovery.SERVICE_TYPE, "dialtone-0011223344556677",
        "h.local", 7440, List.of("txtvers=1"), ip, 120));
    MdnsCodec.Address aaaa = (MdnsCodec.Address) p.records().get(3);
    assertTrue(java.util.Arrays.equals(ip, aaaa.ip()));
  }
}
