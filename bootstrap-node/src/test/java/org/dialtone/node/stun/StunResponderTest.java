package org.dialtone.node.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The attacks on a STUN port, mounted on the responder with a virtual clock. */
class StunResponderTest {
  static final long SECOND = 1_000_000_000L;

  static InetSocketAddress at(String ip, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(ip), port);
  }

  @Test
  void aFloodFromOnePrefixIsCutToItsRateWhileAnotherPrefixIsAnswered() throws Exception {
    StunResponder r = new StunResponder(StunResponder.defaultLimits());
    byte[] request = StunMessage.bindingRequest(new byte[12]);
    long answered = 0;
    // 10,000 requests in one second from 250 addresses of one /24 (a spoofer's reflection attempt)
    for (int i = 0; i < 10_000; i++) {
      if (r.respond(request, at("203.0.113." + (1 + i % 250), 40_000 + i), i * (SECOND / 10_000)).isPresent()) {
        answered++;
      }
    }
    assertTrue(answered <= 40 + 20, answered + " answers to one /24 in a second");
    assertEquals(10_000 - answered, r.count(StunResponder.Counter.RATE_LIMITED));
    // someone else is served meanwhile
    assertTrue(r.respond(request, at("198.51.100.7", 5000), SECOND).isPresent());
    // IPv6: the /48 is the unit
    long v6 = 0;
    for (int i = 0; i < 1_000; i++) {
      if (r.respond(request, at("2001:db8:1:" + Integer.toHexString(i) + "::1", 5000), SECOND).isPresent()) {
        v6++;
      }
    }
    assertEquals(40, v6, "one /48 gets one burst");
  }

  @Test
  void manyPrefixesTogetherMeetTheGlobalLimitAndTheTableStaysBounded() throws Exception {
    StunResponder r = new StunResponder(new org.dialtone.node.limit.PrefixRateLimiter.Limits(20, 40, 500, 1_000));
    byte[] request = StunMessage.bindingRequest(new byte[12]);
    long answered = 0;
    for (int i = 0; i < 20_000; i++) {
      String ip = "10." + (i >> 8 & 0xFF) + "." + (i & 0xFF) + ".1";
      if (r.respond(request, at(ip, 3000), 0).isPresent()) {
        answered++;
      }
    }
    assertEquals(500, answered, "the global burst, then nothing until tokens come back");
    assertTrue(r.trackedPrefixes() <= 1_000, r.trackedPrefixes() + " prefixes remembered");
  }

  @Test
  void noReplyIsMoreThanThreeTimesItsRequestAndMalformedInputIsCountedNotAnswered() throws Exception {
    StunResponder r = new StunResponder(StunResponder.defaultLimits());
    java.util.Random random = new java.util.Random(1);
    long replies = 0;
    for (int i = 0; i < 5_000; i++) {
      byte[] datagram = new byte[random.nextInt(120)];
      random.nextBytes(datagram);
      if (i % 2 == 0 && datagram.length >= 20) {
        // make half of them look like STUN, so that the attribute parsing is exercised too
        datagram[0] = 0;
        datagram[1] = 1;
        datagram[2] = 0;
        datagram[3] = (byte) ((datagram.length - 20) & ~3);
        java.nio.ByteBuffer.wrap(datagram).putInt(4, StunMessage.MAGIC_COOKIE);
      }
      var reply = r.respond(datagram, at("192.0.2." + (i % 200), 1000 + i), i * SECOND);
      if (reply.isPresent()) {
        replies++;
        assertTrue(reply.get().length <= 3 * datagram.length, reply.get().length + " for " + datagram.length);
      }
    }
    assertEquals(5_000, replies + r.count(StunResponder.Counter.MALFORMED) + r.count(StunResponder.Counter.RATE_LIMITED));
    assertTrue(r.count(StunResponder.Counter.MALFORMED) > 0);
  }
}
