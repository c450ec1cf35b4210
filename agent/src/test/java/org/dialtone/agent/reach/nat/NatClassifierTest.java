package org.dialtone.agent.reach.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

class NatClassifierTest {
  private final VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
  private final NatClassifier nat = new NatClassifier(time.clock(), NatSampling.defaults());
  private static final PeerAddress MAPPED = PeerAddress.parse("198.51.100.7:40000");

  /** A reporter in subnet 203.0.{subnet}.0/24. */
  static PeerAddress reporter(int subnet, int host) {
    return PeerAddress.parse("203.0." + subnet + "." + host + ":7440");
  }

  @Test
  void threeSubnetsReportingOneMappingMakeItConsistent() {
    nat.observe(reporter(1, 1), MAPPED);
    nat.observe(reporter(2, 1), MAPPED);
    assertEquals(NatType.UNKNOWN, nat.verdict().type(), "two subnets are not enough");
    nat.observe(reporter(3, 1), MAPPED);
    NatVerdict v = nat.verdict();
    assertEquals(NatType.CONSISTENT, v.type());
    assertEquals(List.of(MAPPED), v.addresses());
    assertEquals(3, v.reportingSubnets());
  }

  @Test
  void manyReportersInOneSubnetCountAsOneVote() {
    for (int host = 1; host <= 10; host++) {
      nat.observe(reporter(1, host), MAPPED);
    }
    NatVerdict v = nat.verdict();
    assertEquals(NatType.UNKNOWN, v.type());
    assertEquals(1, v.reportingSubnets());
    assertEquals(NatSampling.DEFAULT_MAX_SAMPLES_PER_SUBNET, v.samples(), "one subnet keeps only its share");
  }

  @Test
  void aDifferentPortPerReporterMakesItRandom() {
    for (int s = 1; s <= 3; s++) {
      nat.observe(reporter(s, 1), PeerAddress.parse("198.51.100.7:" + (50000 + s)));
    }
    NatVerdict v = nat.verdict();
    assertEquals(NatType.RANDOM, v.type());
    assertEquals(List.of(PeerAddress.parse("198.51.100.7:0")), v.addresses());
  }

  @Test
  void twoVotesForOnePortStayUnknownUntilFiveSubnetsReport() {
    nat.observe(reporter(1, 1), MAPPED);
    nat.observe(reporter(2, 1), MAPPED);
    nat.observe(reporter(3, 1), PeerAddress.parse("198.51.100.7:50003"));
    assertEquals(NatType.UNKNOWN, nat.verdict().type());
    nat.observe(reporter(4, 1), PeerAddress.parse("198.51.100.7:50004"));
    assertEquals(NatType.UNKNOWN, nat.verdict().type());
    nat.observe(reporter(5, 1), PeerAddress.parse("198.51.100.7:50005"));
    assertEquals(NatType.RANDOM, nat.verdict().type());
  }

  @Test
  void twoLyingSubnetsCannotOutvoteThreeHonestOnes() {
    PeerAddress lie = PeerAddress.parse("192.0.2.66:6666");
    for (int host = 1; host <= 20; host++) {
      nat.observe(reporter(100 + host % 2, host), lie);
    }
    nat.observe(reporter(1, 1), MAPPED);
    nat.observe(reporter(2, 1), MAPPED);
    nat.observe(reporter(3, 1), MAPPED);
    NatVerdict v = nat.verdict();
    assertEquals(NatType.CONSISTENT, v.type());
    assertEquals(List.of(MAPPED), v.addresses(), "the lie, with two subnets' votes, is not adopted");
  }

  @Test
  void reportsDisagreeingOnTheHostStayUnknown() {
    for (int s = 1; s <= 6; s++) {
      nat.observe(reporter(s, 1), PeerAddress.parse("198.51.100." + s + ":40000"));
    }
    assertEquals(NatType.UNKNOWN, nat.verdict().type());
  }

  @Test
  void samplesExpireAndAReporterIsCountedOnceWithItsLatestReport() {
    nat.observe(reporter(1, 1), MAPPED);
    nat.observe(reporter(2, 1), MAPPED);
    nat.observe(reporter(3, 1), MAPPED);
    nat.observe(reporter(3, 1), PeerAddress.parse("198.51.100.7:40001"));
    assertEquals(NatType.UNKNOWN, nat.verdict().type(), "reporter 3 changed its report: two votes left");
    nat.observe(reporter(3, 1), MAPPED);
    assertEquals(NatType.CONSISTENT, nat.verdict().type());
    time.advance(NatSampling.DEFAULT_SAMPLE_TTL_MILLIS);
    assertEquals(0, nat.samples());
    assertEquals(NatType.UNKNOWN, nat.verdict().type());
  }

  @Test
  void rulesAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new NatSampling(1, 5, 16, 2, 1000));
    assertThrows(IllegalArgumentException.class, () -> new NatSampling(3, 3, 16, 2, 1000));
    assertThrows(IllegalArgumentException.class, () -> new NatSampling(3, 5, 4, 2, 1000));
    assertThrows(IllegalArgumentException.class, () -> new NatSampling(3, 5, 16, 0, 1000));
    assertThrows(IllegalArgumentException.class, () -> new NatSampling(3, 5, 16, 2, 0));
  }

  @Test
  void chosenReportersVoteByAddressTwoAgreeingMakeItConsistent() {
    // Our own bootstrap nodes, all in one /24 (as in the testbed): each address is a vote.
    NatClassifier chosen = new NatClassifier(time.clock(), NatSampling.chosenReporters());
    chosen.observe(reporter(1, 1), MAPPED);
    assertEquals(NatType.UNKNOWN, chosen.verdict().type(), "one reporter is not enough");
    chosen.observe(reporter(1, 2), MAPPED);
    NatVerdict v = chosen.verdict();
    assertEquals(NatType.CONSISTENT, v.type());
    assertEquals(List.of(MAPPED), v.addresses());
  }

  @Test
  void chosenReportersSeeingOneHostOnTwoPortsMakeItRandom() {
    NatClassifier chosen = new NatClassifier(time.clock(), NatSampling.chosenReporters());
    chosen.observe(reporter(1, 1), PeerAddress.parse("198.51.100.7:40000"));
    chosen.observe(reporter(1, 2), PeerAddress.parse("198.51.100.7:51234"));
    NatVerdict v = chosen.verdict();
    assertEquals(NatType.RANDOM, v.type());
    assertEquals(List.of(PeerAddress.parse("198.51.100.7:0")), v.addresses());
  }

  @Test
  void chosenReportersDisagreeingOnTheHostAreUnknown() {
    NatClassifier chosen = new NatClassifier(time.clock(), NatSampling.chosenReporters());
    chosen.observe(reporter(1, 1), PeerAddress.parse("198.51.100.7:40000"));
    chosen.observe(reporter(1, 2), PeerAddress.parse("198.51.100.8:40000"));
    assertEquals(NatType.UNKNOWN, chosen.verdict().type());
  }
}
