package org.dialtone.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The waiting line: shown after a second on a terminal, erased when done, never when off. */
class ProgressTest {
  @Test
  void aLongWaitShowsAndErasesItsLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Progress.Step step = Progress.to(out, true).start("joining through 127.0.0.1:7440")) {
      while (!bytes.toString(StandardCharsets.UTF_8).contains("joining through 127.0.0.1:7440... ")) {
        assertTrue(System.nanoTime() < deadline, "no progress line within 30 s");
        LockSupport.parkNanos(20_000_000L);
      }
    }
    String all = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(all.matches("(?s)^\\rjoining through 127\\.0\\.0\\.1:7440\\.\\.\\. \\d+ s.*"), all);
    assertTrue(all.endsWith("\r"), "the line is erased when the wait ends: " + all.replace("\r", "\\r"));
  }

  @Test
  void aShortWaitOrAPipeShowsNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (Progress.Step step = Progress.to(out, true).start("quick")) {
      // done at once
    }
    try (Progress.Step step = Progress.to(out, false).start("piped")) {
      // off (a pipe, --json): no timer is even started
    }
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
  }
}
