package org.dialtone.node.cli;

import java.util.ArrayList;
import java.util.List;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.number.DialNumber;
import picocli.CommandLine.Option;

/**
 * What the publishing commands ({@code announce}, {@code host}, {@code share}, {@code join}) share: the profile's
 * publish lock, carrying forward what its earlier {@code --once} commands still have standing
 * ({@link StandingPublications}), and staying until stopped (leaving only this command's numbers) or, with
 * {@code --once}, remembering what was published and exiting.
 */
abstract class PublishingCommand extends AgentCommands.Base {
  /** How long records published with {@code --once} live: the resolver's presence TTL. */
  private static final long PRESENCE_TTL_MILLIS =
      org.dialtone.resolver.ResolverConfig.defaults().presenceTtl().toMillis();

  @Option(names = "--once", description = "publish, print and exit (records then expire within 2 minutes); "
      + "without it the command keeps them alive until Ctrl-C or SIGTERM")
  boolean once;

  @Option(names = "--for", paramLabel = "SECONDS", hidden = true, description = "stay this long, then leave")
  long forSeconds;

  @Option(names = "--interest", split = ",", description = "interests to list under (find --interest finds "
      + "them); remembered by the profile")
  List<String> interests = new ArrayList<>();

  /** What the profile's earlier {@code --once} commands still have standing, published again by this one. */
  private StandingPublications standing;
  private final List<StandingPublications.Entry> carried = new ArrayList<>();

  /**
   * Prints, then keeps the records alive until stopped, or with {@code --once} remembers them for the profile's
   * next command and exits. {@code own} is what this command published (remembered with {@code --once});
   * {@code ownNumbers} are the numbers a stop leaves; {@code beforeClose} stops what the command runs besides.
   */
  int publishAndStay(AgentSession s, String what, Object json, List<StandingPublications.Entry> own,
      List<DialNumber> ownNumbers, Runnable beforeClose) {
    Signals signals = once ? null : Signals.install(); // before "keeping it alive": a stop from then on is clean
    print(what + "\n" + (once ? "" : "keeping it alive; Ctrl-C to leave\n"), json);
    if (once) {
      long until = System.currentTimeMillis() + PRESENCE_TTL_MILLIS;
      standing.refresh(until);
      own.forEach(e -> standing.put(e.until(until)));
      standing.save(err());
      beforeClose.run();
      s.closeKeepingRecords();
      return 0;
    }
    for (StandingPublications.Entry e : carried) {
      if (e.isMembership() && !ownNumbers.contains(e.dialNumber())) {
        s.at(e.until(), () -> s.resolver().leave(e.dialNumber())); // it lives as long as its --once said
      }
    }
    signals.runUntilStopped(forSeconds, () -> stop(s, ownNumbers, beforeClose));
    return 0;
  }

  /** Leaves this command's numbers; what earlier --once commands published keeps its own expiry. */
  private void stop(AgentSession s, List<DialNumber> ownNumbers, Runnable beforeClose) {
    beforeClose.run();
    long now = System.currentTimeMillis();
    boolean othersStanding = carried.stream()
        .anyMatch(e -> e.isMembership() && e.until() > now && !ownNumbers.contains(e.dialNumber()));
    if (!othersStanding) {
      s.close();
      return;
    }
    for (DialNumber n : ownNumbers) {
      s.awaitQuietly(s.resolver().leave(n), java.time.Duration.ofSeconds(3));
    }
    standing.forget(ownNumbers);
    standing.save(err());
    s.closeKeepingRecords();
  }

  AgentSession open(String what) {
    AgentSession s = options.openPublishing(interests, what);
    try {
      carry(s);
    } catch (RuntimeException e) {
      s.closeKeepingRecords(); // what earlier commands published is still theirs: no tombstones for it
      throw e;
    }
    return s;
  }

  private void carry(AgentSession s) {
    standing = StandingPublications.load(options.profile().dir().resolve("standing.json"),
        System.currentTimeMillis());
    NumberResolver r = s.resolver();
    List<java.util.concurrent.CompletableFuture<Void>> puts = new ArrayList<>();
    // In order on the resolver's loop: a share's number is joined before the share.
    for (StandingPublications.Entry e : standing.entries()) {
      puts.add(switch (e.kind()) {
        case ANNOUNCE -> r.announce(e.dialNumber());
        case HOST -> r.host(e.dialNumber(), e.services(), e.endpoint());
        case SHARE -> r.share(e.dialNumber(), e.note(), e.interests().toArray(String[]::new));
      });
      carried.add(e);
    }
    if (!puts.isEmpty()) {
      s.await(java.util.concurrent.CompletableFuture.allOf(
              puts.toArray(java.util.concurrent.CompletableFuture[]::new)),
          options.timeout(), "publishing again what this profile published with --once before");
    }
  }
}
