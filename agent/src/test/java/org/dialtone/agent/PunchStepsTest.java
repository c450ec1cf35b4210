package org.dialtone.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.punch.RemotePeer;
import org.dialtone.agent.reach.signal.Candidate;
import org.dialtone.dht.net.PeerAddress;
import org.junit.jupiter.api.Test;

/** The peer a punch aims at: the relay-observed host, a literal only (a name a relay sends is never looked up). */
class PunchStepsTest {
  @Test
  void onlyIpLiteralsFromARelayAreTaken() {
    assertEquals(Optional.of(PeerAddress.parse("198.51.100.7:0")), PunchSteps.ipLiteral("198.51.100.7"));
    assertEquals(Optional.of(PeerAddress.parse("[2001:db8::1]:0")), PunchSteps.ipLiteral("2001:db8::1"));
    assertTrue(PunchSteps.ipLiteral("victim.example").isEmpty(), "a name: no lookup, no host");
    assertTrue(PunchSteps.ipLiteral("cafe").isEmpty(), "hex letters alone are a name too");
    assertTrue(PunchSteps.ipLiteral("").isEmpty());
    assertTrue(PunchSteps.ipLiteral("fe80::1%eth0").isEmpty());
  }

  @Test
  void theRemoteIsBuiltFromTheRelaysViewNotTheSignal() {
    List<Candidate> signalled = List.of(new Candidate(Candidate.Type.REFLEXIVE, PeerAddress.parse("192.0.2.99:0")));
    RemotePeer random = PunchSteps.remote(NatType.CONSISTENT, NatType.RANDOM, signalled, Optional.of("198.51.100.7"));
    assertEquals(List.of(PeerAddress.parse("198.51.100.7:0")), random.addresses());
    assertTrue(random.verifiedHost());
    RemotePeer unverified = PunchSteps.remote(NatType.CONSISTENT, NatType.RANDOM, signalled, Optional.empty());
    assertTrue(!unverified.verifiedHost(), "no relay view: the puncher refuses (REMOTE_ADDRESS_UNVERIFIED)");
    RemotePeer named = PunchSteps.remote(NatType.CONSISTENT, NatType.RANDOM, signalled, Optional.of("evil.example"));
    assertTrue(!named.verifiedHost());
  }
}
