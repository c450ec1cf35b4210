package org.dialtone.agent.reach.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.dialtone.dht.net.PeerAddress;

class ReporterChoiceProperties {
  @Provide
  Arbitrary<List<PeerAddress>> nodes() {
    return Combinators.combine(Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 4))
        .as((s, h) -> PeerAddress.parse("203.0." + s + "." + h + ":7440")).list().ofMaxSize(30);
  }

  @Property
  void onePerSubnetNeverReaskedAtMostWanted(@ForAll("nodes") List<PeerAddress> known,
      @ForAll("nodes") List<PeerAddress> asked, @ForAll @IntRange(min = 0, max = 8) int want,
      @ForAll @IntRange(min = 0, max = 6) int reportedCount) {
    Set<PeerAddress.Subnet> reported = known.stream().limit(reportedCount).map(PeerAddress::subnet)
        .collect(Collectors.toSet());
    List<PeerAddress> picked = ReporterChoice.pick(known, new HashSet<>(asked), reported, want);
    assertTrue(picked.size() <= want);
    assertEquals(picked.size(), picked.stream().map(PeerAddress::subnet).distinct().count(), "one per subnet");
    picked.forEach(p -> assertTrue(known.contains(p) && !asked.contains(p)));
    long availableSubnets = known.stream().filter(n -> !asked.contains(n)).map(PeerAddress::subnet).distinct().count();
    assertEquals(Math.min(want, availableSubnets), picked.size(), "as many as there are subnets to ask");
    // Subnets already heard from come only after every fresh one.
    boolean seenHeard = false;
    for (PeerAddress p : picked) {
      if (reported.contains(p.subnet())) {
        seenHeard = true;
      } else {
        assertTrue(!seenHeard, "a fresh subnet after a heard one: " + picked);
      }
    }
  }

  @Example
  void prefersSubnetsNotHeardFrom() {
    List<PeerAddress> known = List.of(PeerAddress.parse("203.0.1.1:1"), PeerAddress.parse("203.0.1.2:1"),
        PeerAddress.parse("203.0.2.1:1"), PeerAddress.parse("203.0.3.1:1"));
    assertEquals(List.of(PeerAddress.parse("203.0.2.1:1"), PeerAddress.parse("203.0.1.1:1")),
        ReporterChoice.pick(known, Set.of(PeerAddress.parse("203.0.3.1:1")),
            Set.of(PeerAddress.parse("203.0.1.9:1").subnet()), 2));
  }
}
