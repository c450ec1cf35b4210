package org.dialtone.node.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dialtone.node.state.AtomicFiles;
import org.dialtone.resolver.number.DialNumber;

/**
 * What a profile's earlier {@code --once} commands published that is still alive, so that the profile's next
 * publishing command publishes it again beside its own.
 *
 * <p>Why: an agent's {@code agent:}, {@code interest:} and {@code service:} records are one per agent key, built from
 * what the publishing process knows. Without this file, {@code announce 23 --once} and then {@code host 53 --once}
 * of one profile would leave a directory entry listing 53 alone: the second command replaced the first's.
 *
 * <p>Kept as {@code standing.json} in the profile's directory, read and written only under the profile's publish
 * lock. An entry lives until its records would expire ({@code until}); a command that publishes again refreshes
 * every entry it carried. Bounded: {@value #MAX_MEMBERSHIPS} memberships (an agent's limit) and {@value #MAX_SHARES}
 * shares, the newest kept. An unreadable or hand-edited file is treated as empty: it only ever adds to what a
 * command publishes.
 */
final class StandingPublications {
  static final int MAX_MEMBERSHIPS = 16;
  static final int MAX_SHARES = 8;
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** What a command published: its presence on a number, a hosted number, or a recommendation. */
  enum Kind { ANNOUNCE, HOST, SHARE }

  /**
   * One standing publication. {@code number} is the number announced or hosted, or for a share the number
   * recommended; {@code from} is the number a share was said on.
   */
  record Entry(Kind kind, String number, List<String> services, String endpoint, String from, String note,
      List<String> interests, long until) {
    Entry {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(number, "number");
      services = services == null ? List.of() : List.copyOf(services);
      interests = interests == null ? List.of() : List.copyOf(interests);
      endpoint = endpoint == null ? "" : endpoint;
      from = from == null ? "" : from;
      note = note == null ? "" : note;
    }

    static Entry announce(DialNumber n, long until) {
      return new Entry(Kind.ANNOUNCE, n.toString(), List.of(), "", "", "", List.of(), until);
    }

    static Entry host(DialNumber n, List<String> services, String endpoint, long until) {
      return new Entry(Kind.HOST, n.toString(), services, endpoint, "", "", List.of(), until);
    }

    static Entry share(DialNumber recommended, DialNumber on, String note, List<String> interests, long until) {
      return new Entry(Kind.SHARE, recommended.toString(), List.of(), "", on.toString(), note, interests, until);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    boolean isMembership() {
      return kind != Kind.SHARE;
    }

    DialNumber dialNumber() {
      return DialNumber.parse(number);
    }

    DialNumber fromNumber() {
      return DialNumber.parse(from);
    }

    Entry until(long newUntil) {
      return new Entry(kind, number, services, endpoint, from, note, interests, newUntil);
    }

    /** Same membership (one per number) or same share (one per recommended number and number said on). */
    boolean sameSlot(Entry other) {
      return isMembership() == other.isMembership() && number.equals(other.number) && from.equals(other.from);
    }

    private boolean wellFormed() {
      try {
        dialNumber();
        if (kind == Kind.SHARE) {
          fromNumber();
        }
        return kind != Kind.HOST || !endpoint.isEmpty() && !services.isEmpty();
      } catch (IllegalArgumentException e) { // InvalidNumberException too
        return false;
      }
    }
  }

  private final Path file;
  private final List<Entry> entries;

  private StandingPublications(Path file, List<Entry> entries) {
    this.file = file;
    this.entries = new ArrayList<>(entries);
  }

  /** The entries of {@code file} still alive at {@code now} (epoch ms); a missing or unreadable file is empty. */
  static StandingPublications load(Path file, long now) {
    List<Entry> read = List.of();
    if (Files.isRegularFile(file)) {
      try {
        read = JSON.readValue(file.toFile(), new TypeReference<List<Entry>>() {});
      } catch (IOException | RuntimeException e) {
        read = List.of(); // our own state, hand-edited or cut short: it only adds, so start without it
      }
    }
    StandingPublications s = new StandingPublications(file, List.of());
    for (Entry e : read) {
      if (e != null && e.until() > now && e.wellFormed()) {
        s.put(e);
      }
    }
    return s;
  }

  /** The live entries: memberships first (a share needs its number joined), oldest first. */
  List<Entry> entries() {
    List<Entry> out = new ArrayList<>(entries.stream().filter(Entry::isMembership).toList());
    out.addAll(entries.stream().filter(e -> !e.isMembership()).toList());
    return List.copyOf(out);
  }

  /**
   * Adds what a command just published, replacing the entry in the same slot, except that an announcement does not
   * demote a number the profile hosts (the resolver keeps hosting it too). The oldest drop off past the limits.
   */
  void put(Entry e) {
    for (int i = 0; i < entries.size(); i++) {
      Entry old = entries.get(i);
      if (old.sameSlot(e)) {
        entries.remove(i);
        if (e.kind() == Kind.ANNOUNCE && old.kind() == Kind.HOST) {
          e = old.until(Math.max(old.until(), e.until()));
        }
        break;
      }
    }
    entries.add(e);
    trim(true, MAX_MEMBERSHIPS);
    trim(false, MAX_SHARES);
  }

  /** Every entry now lives until {@code until}: the command that carried them published them again. */
  void refresh(long until) {
    entries.replaceAll(e -> e.until(Math.max(e.until(), until)));
  }

  /** Drops the memberships on {@code numbers} (a command left them) and the shares said on them. */
  void forget(List<DialNumber> numbers) {
    List<String> gone = numbers.stream().map(DialNumber::toString).toList();
    entries.removeIf(e -> e.isMembership() ? gone.contains(e.number()) : gone.contains(e.from()));
  }

  /** Writes the file atomically; best effort (a read-only home only loses the carrying, with a notice). */
  void save(java.io.PrintWriter err) {
    try {
      AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(entries));
    } catch (IOException e) {
      err.println("dialtone: notice: cannot remember this publication for the profile's next command ("
          + org.dialtone.node.state.FsErrors.describe(e) + ")");
      err.flush();
    }
  }

  private void trim(boolean memberships, int max) {
    while (entries.stream().filter(e -> e.isMembership() == memberships).count() > max) {
      for (int i = 0; i < entries.size(); i++) {
        if (entries.get(i).isMembership() == memberships) {
          entries.remove(i);
          break;
        }
      }
    }
  }
}
