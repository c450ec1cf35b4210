package org.dialtone.agent.webrtc.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.dialtone.agent.reach.signal.Candidate;
import org.dialtone.dht.net.PeerAddress;
import org.junit.jupiter.api.Test;

class SdpCandidatesTest {
  /** An answer as Chromium writes one for a data channel, with the candidate kinds the page keeps and drops. */
  static final String CHROMIUM = String.join("\r\n",
      "v=0",
      "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
      "s=-",
      "t=0 0",
      "a=group:BUNDLE 0",
      "a=msid-semantic: WMS",
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
      "c=IN IP4 0.0.0.0",
      "a=candidate:1 1 udp 2113937151 10.0.1.2 50001 typ host generation 0",
      "a=candidate:2 1 udp 2113939711 fd00::2 50002 typ host generation 0",
      "a=candidate:3 1 udp 2113937151 3f1c9e2e-7c1a.local 50003 typ host generation 0",
      "a=candidate:4 1 tcp 1518280447 10.0.1.2 9 typ host tcptype active generation 0",
      "a=candidate:5 2 udp 2113937150 10.0.1.2 50004 typ host generation 0",
      "a=candidate:6 1 udp 1677729535 203.0.113.7 61000 typ srflx raddr 10.0.1.2 rport 50001 generation 0",
      "a=candidate:7 1 udp 1677729535 203.0.113.7 61000 typ srflx raddr 10.0.1.2 rport 50001 generation 0",
      "a=end-of-candidates",
      "a=ice-ufrag:abcd",
      "a=ice-pwd:0123456789abcdefghijklmn",
      "a=fingerprint:sha-256 AA:BB:CC",
      "a=setup:active",
      "a=mid:0",
      "a=sctp-port:5000",
      "") + "\r\n";

  @Test
  void keepsUdpComponentOneLiteralAddressesOncePerAddressAndPort() {
    SdpCandidates.Split s = SdpCandidates.split(CHROMIUM);
    assertEquals(List.of(
        new Candidate(Candidate.Type.HOST, PeerAddress.parse("10.0.1.2:50001")),
        new Candidate(Candidate.Type.HOST, PeerAddress.parse("[fd00::2]:50002")),
        new Candidate(Candidate.Type.REFLEXIVE, PeerAddress.parse("203.0.113.7:61000"))), s.candidates());
    assertFalse(s.text().contains("a=candidate"), s.text());
    assertFalse(s.text().contains("end-of-candidates"), s.text());
    assertTrue(s.text().contains("a=fingerprint:sha-256 AA:BB:CC\r\n"), "the DTLS fingerprint is in the signed text");
    assertTrue(s.text().endsWith("a=sctp-port:5000\r\n"), s.text());
  }

  @Test
  void joinPutsTheCandidatesBackAsThePageDoes() {
    SdpCandidates.Split s = SdpCandidates.split(CHROMIUM);
    String joined = SdpCandidates.join(s.text(), s.candidates());
    assertTrue(joined.endsWith("a=candidate:1 1 udp 2130706431 10.0.1.2 50001 typ host\r\n"
        + "a=candidate:2 1 udp 2130706430 fd00:0:0:0:0:0:0:2 50002 typ host\r\n"
        + "a=candidate:3 1 udp 1694498813 203.0.113.7 61000 typ srflx raddr 0.0.0.0 rport 0\r\n"
        + "a=end-of-candidates\r\n"), joined);
    assertEquals(s, SdpCandidates.split(joined), "split after join gives the same text and candidates");
  }

  @Test
  void literalAddressesOnlyWithoutLookups() {
    assertArrayEquals(new byte[] {10, 0, 0, 1}, SdpCandidates.literal("10.0.0.1").orElseThrow());
    assertTrue(SdpCandidates.literal("256.0.0.1").isEmpty());
    assertTrue(SdpCandidates.literal("example.org").isEmpty());
    assertTrue(SdpCandidates.literal("1:2:3").isEmpty());
    assertTrue(SdpCandidates.literal("1::2::3").isEmpty());
    assertTrue(SdpCandidates.literal(":::").isEmpty());
    byte[] v6 = SdpCandidates.literal("fe80::1:2").orElseThrow();
    assertEquals(16, v6.length);
    assertEquals((byte) 0xfe, v6[0]);
    assertEquals(2, v6[15]);
    assertEquals(1, v6[13]);
  }

  @Property(tries = 300)
  void noiseNeverThrowsAndKeepsAtMostEightCandidates(@ForAll String noise) {
    SdpCandidates.Split s = SdpCandidates.split(noise + "\r\na=candidate:" + noise + "\r\n" + CHROMIUM);
    assertTrue(s.candidates().size() <= 8);
    SdpCandidates.literal(noise); // never throws
  }
}
