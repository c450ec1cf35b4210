package org.dialtone.agent.reach.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.VirtualScheduler;

class NatClassifierProperties {
  record Report(PeerAddress reporter, PeerAddress observed) {}

  /** Reports from a few subnets, about a few hosts and ports, so that votes collide often. */
  @Provide
  Arbitrary<List<Report>> reports() {
    Arbitrary<PeerAddress> reporter = Combinators.combine(
        Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 4))
        .as((s, h) -> PeerAddress.parse("203.0." + s + "." + h + ":7440"));
    Arbitrary<PeerAddress> observed = Combinators.combine(
        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(40000, 40004))
        .as((h, p) -> PeerAddress.parse("198.51.100." + h + ":" + p));
    return Combinators.combine(reporter, observed).as(Report::new).list().ofMaxSize(40);
  }

  @Property
  void everyBelievedMappingWasSeenFromEnoughSubnets(@ForAll("reports") List<Report> reports) {
    NatClassifier nat = classifier();
    reports.forEach(r -> nat.observe(r.reporter, r.observed));
    NatVerdict v = nat.verdict();
    assertTrue(v.samples() <= NatSampling.DEFAULT_MAX_SAMPLES);
    if (v.type() == NatType.CONSISTENT) {
      for (PeerAddress a : v.addresses()) {
        Set<PeerAddress.Subnet> voters = new HashSet<>();
        // The last report of each reporter is the one that counts.
        java.util.Map<PeerAddress, PeerAddress> latest = new java.util.LinkedHashMap<>();
        reports.forEach(r -> latest.put(r.reporter, r.observed));
        latest.forEach((rep, obs) -> {
          if (obs.equals(a)) {
            voters.add(rep.subnet());
          }
        });
        assertTrue(voters.size() >= NatSampling.DEFAULT_AGREEING_SUBNETS, a + " had votes from " + voters);
      }
    }
  }

  /**
   * Liars in fewer subnets than the agreement threshold, sending any number of reports in any order with honest
   * ones, never make us believe a mapping that no honest reporter saw.
   */
  @Property
  void liarsInTwoSubnetsNeverPlantAnAddress(
      @ForAll("reports") List<Report> honestNoise,
      @ForAll @IntRange(min = 0, max = 30) int lies,
      @ForAll @IntRange(min = 0, max = 1000) int shuffleSeed) {
    PeerAddress lie = PeerAddress.parse("192.0.2.66:6666");
    List<Report> all = new ArrayList<>(honestNoise);
    for (int i = 0; i < lies; i++) {
      all.add(new Report(PeerAddress.parse("192.0." + (200 + i % 2) + "." + (i + 1) + ":7440"), lie));
    }
    java.util.Collections.shuffle(all, new java.util.Random(shuffleSeed));
    NatClassifier nat = classifier();
    all.forEach(r -> nat.observe(r.reporter, r.observed));
    NatVerdict v = nat.verdict();
    assertTrue(!v.addresses().contains(lie) && !v.addresses().contains(PeerAddress.of(lie.ipBytes(), 0)),
        "adopted the lie: " + v);
  }

  /** Within the bounds (one report per subnet, fewer than the table holds), the order of reports does not matter. */
  @Property
  void orderDoesNotMatterWithinTheBounds(
      @ForAll @IntRange(min = 0, max = 8) int subnets,
      @ForAll("ports") List<Integer> ports,
      @ForAll @IntRange(min = 0, max = 1000) int shuffleSeed) {
    List<Report> reports = new ArrayList<>();
    for (int s = 0; s < subnets && s < ports.size(); s++) {
      reports.add(new Report(PeerAddress.parse("203.0." + s + ".1:7440"),
          PeerAddress.parse("198.51.100.7:" + ports.get(s))));
    }
    List<Report> shuffled = new ArrayList<>(reports);
    java.util.Collections.shuffle(shuffled, new java.util.Random(shuffleSeed));
    NatClassifier a = classifier();
    NatClassifier b = classifier();
    reports.forEach(r -> a.observe(r.reporter, r.observed));
    shuffled.forEach(r -> b.observe(r.reporter, r.observed));
    assertEquals(a.verdict(), b.verdict());
  }

  @Provide
  Arbitrary<List<Integer>> ports() {
    return Arbitraries.integers().between(40000, 40003).list().ofSize(8);
  }

  private static NatClassifier classifier() {
    return new NatClassifier(new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS).clock(),
        NatSampling.defaults());
  }
}
