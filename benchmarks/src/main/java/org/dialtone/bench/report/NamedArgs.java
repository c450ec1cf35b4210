package org.dialtone.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

/** The benchmarks' command lines: {@code --name value} pairs, strictly. */
public final class NamedArgs {
  private NamedArgs() {}

  /**
   * The pairs of {@code args} by name (without the dashes). Throws IllegalArgumentException, naming the word, for a
   * word that is not {@code --name} where a name is due, or a name without its value.
   */
  public static Map<String, String> parse(String[] args) {
    Map<String, String> named = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || args[i].length() == 2) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      named.put(args[i].substring(2), args[i + 1]);
    }
    return named;
  }
}
