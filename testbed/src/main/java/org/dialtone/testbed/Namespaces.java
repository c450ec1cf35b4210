package org.dialtone.testbed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dialtone.testbed.linux.Shell;

/**
 * The testbed's namespaces on this machine: every one is named {@code dt-<pid>-<name>}, where pid is the JVM that
 * made it. Nothing without the prefix is ever touched; a namespace whose JVM is gone is stale (a crashed or killed
 * run) and is swept: its processes are killed and it is deleted.
 */
final class Namespaces {
  static final String PREFIX = "dt-";

  private Namespaces() {}

  static String name(long pid, String machine) {
    return PREFIX + pid + "-" + machine;
  }

  static List<String> ours() {
    List<String> out = new ArrayList<>();
    Shell.Result r = Shell.tryRun("", "ip", "netns", "list");
    for (String line : r.stdout().split("\n")) {
      String name = line.strip().split("\\s+")[0];
      if (name.startsWith(PREFIX)) {
        out.add(name);
      }
    }
    return out;
  }

  static Optional<Long> owner(String ns) {
    String[] parts = ns.split("-", 3);
    try {
      return parts.length == 3 ? Optional.of(Long.parseLong(parts[1])) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Removes the namespaces of runs whose JVM is gone, with whatever still runs in them. Returns what it removed. */
  static List<String> sweepStale() {
    List<String> removed = new ArrayList<>();
    for (String ns : ours()) {
      Optional<Long> pid = owner(ns);
      boolean alive = pid.isPresent() && Files.exists(Path.of("/proc/" + pid.get()));
      if (!alive) {
        delete(ns);
        removed.add(ns);
      }
    }
    return removed;
  }

  /** Kills every process left in {@code ns} (they are ours: they were started in it) and deletes it. */
  static void delete(String ns) {
    String pids = Shell.tryRun("", "ip", "netns", "pids", ns).stdout();
    for (String p : pids.split("\\s+")) {
      if (p.matches("\\d+")) {
        ProcessHandle.of(Long.parseLong(p)).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    Shell.tryRun("", "ip", "netns", "del", ns);
  }
}
