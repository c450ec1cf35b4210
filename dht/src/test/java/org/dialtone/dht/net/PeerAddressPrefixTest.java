package org.dialtone.dht.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The prefixes the quotas and rate limits key on: IPv4 /24 and /32, IPv6 /48 and /64, never the port. */
class PeerAddressPrefixTest {
  private static PeerAddress at(String text) {
    return PeerAddress.parse(text);
  }

  @Test
  void ipv4NetworkIsTheSlash24AndHostTheAddress() {
    assertEquals(at("203.0.113.7:1").sourcePrefix(), at("203.0.113.200:9").sourcePrefix());
    assertNotEquals(at("203.0.113.7:1").sourcePrefix(), at("203.0.114.7:1").sourcePrefix());
    assertEquals(at("203.0.113.7:1").hostPrefix(), at("203.0.113.7:65000").hostPrefix(), "ports do not count");
    assertNotEquals(at("203.0.113.7:1").hostPrefix(), at("203.0.113.8:1").hostPrefix());
  }

  @Test
  void ipv6NetworkIsTheSlash48AndHostTheSlash64() {
    PeerAddress a = at("[2001:db8:aaaa:1::1]:1");
    assertEquals(a.sourcePrefix(), at("[2001:db8:aaaa:ffff::9]:2").sourcePrefix(), "another /64 of the same /48");
    assertNotEquals(a.sourcePrefix(), at("[2001:db8:aaab:1::1]:1").sourcePrefix());
    assertEquals(a.hostPrefix(), at("[2001:db8:aaaa:1:ffff::2]:3").hostPrefix(), "the same /64");
    assertNotEquals(a.hostPrefix(), at("[2001:db8:aaaa:2::1]:1").hostPrefix());
  }
}
