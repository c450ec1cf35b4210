package org.dialtone.node.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The agent keys the CLI has printed (by {@code dial}, {@code find}, {@code numbers}, {@code watch}), so that
 * {@code request} takes the 8 hex digits the text output shows, as git takes a short commit id. A key cannot be
 * looked up by prefix in the DHT (keys are hashed), so a prefix is matched here, and only here. Bounded: the newest
 * {@value #MAX} keys.
 */
final class SeenAgents {
  static final int MAX = 1000;
  private final Path file;

  SeenAgents(Path configDir) {
    this.file = configDir.resolve("seen-agents");
  }

  /** Remembers {@code keys} (64 hex digits each); best effort, a read-only home just remembers nothing. */
  void remember(List<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    Set<String> all = new LinkedHashSet<>(read());
    keys.forEach(all::remove);
    all.addAll(keys);
    List<String> kept = new ArrayList<>(all);
    if (kept.size() > MAX) {
      kept = kept.subList(kept.size() - MAX, kept.size());
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("seen-agents.tmp." + ProcessHandle.current().pid());
      Files.write(tmp, kept, StandardCharsets.US_ASCII);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UnsupportedOperationException e) {
      // not remembering costs only the short form of request
    }
  }

  /** The full key for {@code text}: itself if 64 hex digits, else the one remembered key it begins. */
  String resolve(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    if (!t.matches("[0-9a-f]{1,64}")) {
      throw new CliError("INVALID_AGENT", "'" + text + "' is not an agent key (hex digits: the full 64, or the "
          + "first few as dial and find print them)", CliError.EXIT_USAGE);
    }
    if (t.length() == 64) {
      return t;
    }
    if (t.length() < 4) {
      throw new CliError("INVALID_AGENT", "'" + text + "' is too short: give at least 4 hex digits of the key",
          CliError.EXIT_USAGE);
    }
    List<String> matches = read().stream().filter(k -> k.startsWith(t)).distinct().toList();
    if (matches.isEmpty()) {
      throw new CliError("UNKNOWN_AGENT", "no agent seen by this CLI has a key starting with " + t + ": give the "
          + "full 64 hex digits, or dial, find or watch where the agent is first", CliError.EXIT_USAGE);
    }
    if (matches.size() > 1) {
      throw new CliError("AMBIGUOUS_AGENT", "'" + t + "' begins " + matches.size() + " keys ("
          + String.join(", ", matches.stream().limit(4).map(k -> k.substring(0, Math.min(16, k.length()))).toList())
          + (matches.size() > 4 ? ", ..." : "") + "): give more digits", CliError.EXIT_USAGE);
    }
    return matches.get(0);
  }

  private List<String> read() {
    try {
      return Files.readAllLines(file, StandardCharsets.US_ASCII).stream().map(String::strip)
          .filter(l -> l.matches("[0-9a-f]{64}")).toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
