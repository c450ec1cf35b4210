package org.dialtone.node.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Refuses what would otherwise be silently ignored: a config-file key or a {@code DIALTONE_*} environment variable
 * that names no option ({@code prot=7458} once left a node on its default port). The error names the key and the
 * nearest valid one.
 */
public final class ConfigCheck {
  /**
   * Variables read outside picocli: the config file's path, and the launcher's and scripts' own (JVM flags, heap,
   * the test script's switch), which a user may well have exported.
   */
  private static final Set<String> OTHER_VARIABLES =
      Set.of("DIALTONE_CONFIG", "DIALTONE_JAVA_OPTS", "DIALTONE_HEAP", "DIALTONE_NO_NETNS");

  private ConfigCheck() {}

  /** Every {@code DIALTONE_*} variable in {@code env} must set an option of some command. */
  public static void environment(CommandLine cli, Map<String, String> env) {
    Set<String> valid = new TreeSet<>(OTHER_VARIABLES);
    optionNames(cli).forEach(n -> valid.add(EnvDefaults.envName(n)));
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.startsWith("DIALTONE_") && !valid.contains(name)) {
        throw new CliError("BAD_CONFIG", "unknown environment variable " + name + nearest(name, valid)
            .map(n -> " (did you mean " + n + "?)").orElse(" (valid: " + String.join(", ", valid) + ")"),
            CliError.EXIT_USAGE);
      }
    }
  }

  /** Every key of the config file must be an option name (without the dashes) of some command. */
  public static void file(CommandLine cli, EnvDefaults defaults) {
    Set<String> valid = new TreeSet<>();
    optionNames(cli).forEach(n -> valid.add(n.substring(2)));
    for (String key : new TreeSet<>(defaults.fileKeys())) {
      if (!valid.contains(key)) {
        throw new CliError("BAD_CONFIG", defaults.filePath() + ": unknown key '" + key + "'" + nearest(key, valid)
            .map(n -> " (did you mean '" + n + "'?)").orElse(" (keys are option names: port, http-port, ...)"),
            CliError.EXIT_USAGE);
      }
    }
  }

  private static Set<String> optionNames(CommandLine cli) {
    Set<String> names = new TreeSet<>();
    collect(cli.getCommandSpec(), names);
    return names;
  }

  private static void collect(CommandSpec spec, Set<String> names) {
    for (OptionSpec o : spec.options()) {
      if (o.longestName().startsWith("--") && !o.usageHelp() && !o.versionHelp()) {
        names.add(o.longestName());
      }
    }
    spec.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), names));
  }

  /** The valid name closest to {@code name} by edit distance, if close enough to be a typo. */
  static Optional<String> nearest(String name, Set<String> valid) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return valid.stream().min(Comparator.comparingInt(v -> distance(lower, v.toLowerCase(java.util.Locale.ROOT))))
        .filter(v -> distance(lower, v.toLowerCase(java.util.Locale.ROOT)) <= Math.max(2, v.length() / 3));
  }

  /** Damerau-Levenshtein distance (optimal string alignment): "prot" is 1 from "port". */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** For an unknown option or subcommand: the nearest valid ones of the command it was given to. */
  public static List<String> suggestions(CommandLine.UnmatchedArgumentException e) {
    CommandSpec spec = e.getCommandLine().getCommandSpec();
    Set<String> valid = new TreeSet<>();
    spec.options().forEach(o -> valid.addAll(List.of(o.names())));
    valid.addAll(spec.subcommands().keySet());
    for (String arg : e.getUnmatched()) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      Optional<String> near = nearest(name, valid);
      if (near.isPresent()) {
        return List.of(near.get());
      }
    }
    return e.getSuggestions().stream().limit(3).toList();
  }
}
