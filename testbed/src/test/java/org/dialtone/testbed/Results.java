package org.dialtone.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** The figures the testbed tests measure: printed, and appended to {@code target/testbed/results.txt}. */
final class Results {
  static final Path FILE = Path.of("target/testbed/results.txt");

  private Results() {}

  static synchronized void record(String test, String figure) {
    String line = Instant.now() + " " + test + ": " + figure;
    System.out.println("[testbed] " + line);
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + FILE + ": " + e.getMessage(), e);
    }
  }

  /** A scale factor for longer runs ({@code -Dtestbed.scale=10} from scripts/testbed-long); 1 in the suite. */
  static double scale() {
    return Double.parseDouble(System.getProperty("testbed.scale", "1"));
  }
}
