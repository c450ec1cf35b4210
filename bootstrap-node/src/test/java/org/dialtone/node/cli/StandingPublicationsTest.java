package org.dialtone.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtone.node.cli.StandingPublications.Entry;
import org.dialtone.node.cli.StandingPublications.Kind;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandingPublicationsTest {
  private static final DialNumber N23 = DialNumber.parse("744-196884-23");
  private static final DialNumber N53 = DialNumber.parse("744-196884-53");
  @TempDir Path dir;

  private StandingPublications roundTrip(StandingPublications s, long now) {
    s.save(new PrintWriter(new StringWriter()));
    return StandingPublications.load(dir.resolve("standing.json"), now);
  }

  @Test
  void whatOneCommandPublishedIsCarriedToTheNextUntilItExpires() {
    StandingPublications s = StandingPublications.load(dir.resolve("standing.json"), 1_000);
    s.put(Entry.announce(N23, 120_000));
    s.put(Entry.host(N53, List.of("games"), "ws://127.0.0.1:8053", 60_000));
    StandingPublications next = roundTrip(s, 50_000);
    assertEquals(List.of(Kind.ANNOUNCE, Kind.HOST), next.entries().stream().map(Entry::kind).toList());
    assertEquals("ws://127.0.0.1:8053", next.entries().get(1).endpoint());
    // the host entry's records have expired by then; it is not carried
    assertEquals(List.of("744-196884-23"), roundTrip(s, 90_000).entries().stream().map(Entry::number).toList());
  }

  @Test
  void anAnnouncementDoesNotDemoteAHostedNumberAndSharesComeAfterMemberships() {
    StandingPublications s = StandingPublications.load(dir.resolve("standing.json"), 0);
    s.put(Entry.share(N53, N23, "fun", List.of("games"), 100));
    s.put(Entry.host(N23, List.of("chat"), "ws://127.0.0.1:1", 100));
    s.put(Entry.announce(N23, 200));
    List<Entry> e = s.entries();
    assertEquals(List.of(Kind.HOST, Kind.SHARE), e.stream().map(Entry::kind).toList());
    assertEquals(200, e.get(0).until(), "the later announcement keeps the hosted number alive longer");
  }

  @Test
  void itIsBoundedAndForgetsTheNumbersACommandLeft() {
    StandingPublications s = StandingPublications.load(dir.resolve("standing.json"), 0);
    for (int i = 0; i < 40; i++) {
      s.put(Entry.announce(DialNumber.primary(i), 100));
      s.put(Entry.share(DialNumber.primary(i), DialNumber.primary(i), "", List.of(), 100));
    }
    assertEquals(StandingPublications.MAX_MEMBERSHIPS, s.entries().stream().filter(Entry::isMembership).count());
    assertEquals(StandingPublications.MAX_SHARES, s.entries().stream().filter(e -> !e.isMembership()).count());
    assertEquals("744-196884-39", s.entries().get(StandingPublications.MAX_MEMBERSHIPS - 1).number(),
        "the newest are kept");
    s.forget(List.of(DialNumber.primary(39)));
    assertEquals(StandingPublications.MAX_MEMBERSHIPS - 1 + StandingPublications.MAX_SHARES - 1, s.entries().size());
  }

  @Test
  void aDamagedOrHandEditedFileIsReadAsEmptyOrWithoutItsBadEntries() throws Exception {
    Path f = dir.resolve("standing.json");
    Files.writeString(f, "[{\"kind\":\"ANNOUNCE\",\"number\":\"744-196884-2");
    assertEquals(List.of(), StandingPublications.load(f, 0).entries());
    Files.writeString(f, "[{\"kind\":\"ANNOUNCE\",\"number\":\"not a number\",\"until\":9},"
        + "{\"kind\":\"HOST\",\"number\":\"744-196884-5\",\"until\":9},"
        + "{\"kind\":\"ANNOUNCE\",\"number\":\"744-196884-7\",\"until\":9,\"extra\":1}]");
    assertEquals(List.of("744-196884-7"), StandingPublications.load(f, 0).entries().stream().map(Entry::number)
        .toList(), "a bad number and a host without an endpoint are dropped; an unknown field is ignored");
  }
}
