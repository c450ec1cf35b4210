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
    var link = new LanInterfaces.LanLink(nif, (java.net.Inet4Address) InetAddress.getByName("192.168.1.10"), 24);
    assertTrue(link.contains(InetAddress.getByName("192.168.1.250")));
    assertFalse(link.contains(InetAddress.getByName("192.168.2.10")));
    assertFalse(link.contains(InetAddress.getByName("::1")));
    var wide = new LanInterfaces.LanLink(nif, (java.net.Inet4Address) InetAddress.getByName("10.1.2.3"), 8);
    assertTrue(wide.contains(InetAddress.getByName("10.200.0.1")));
  }
}
