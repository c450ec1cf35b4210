package org.dialtone.dht.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The sequence numbers one publisher signs with, kept above every one it ever issued, across restarts and clock steps.
 * A sequence is {@code max(last + 1, now in epoch milliseconds)}; a clock that steps back (a bad NTP start, a
 * restored VM) would otherwise produce numbers below the ones already stored, which every node refuses as
 * {@code SEQ_TOO_LOW} until the clock catches up: the publisher locked out of its own records.
 *
 * <p>Kept in a file beside the key (issue 9, item 14): the file holds a high-water mark {@link #RESERVE_MILLIS}
 * above the last number issued, written durably ({@link SecretFiles#write}) only when that reserve runs out, so a
 * publisher renewing every minute writes the file about once every ten minutes, and after a crash the next number is
 * still above everything issued before it. Thread-safe.
 */
public final class SequenceFloor {
  /** How far ahead of the last issued number the file's mark is written. */
  public static final long RESERVE_MILLIS = 600_000;

  private final Optional<Path> file;
  private long last;
  private long reserved;

  private SequenceFloor(Optional<Path> file, long reserved) {
    this.file = file;
    this.last = reserved;
    this.reserved = reserved;
  }

  /** A floor in memory only: increasing while the process runs. */
  public static SequenceFloor inMemory() {
    return new SequenceFloor(Optional.empty(), 0);
  }

  /** The floor kept in {@code file} (created on first use); fails naming the file when it is damaged. */
  public static SequenceFloor open(Path file) throws IOException {
    long mark = 0;
    if (Files.exists(file)) {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      try {
        mark = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IOException(file + ": not a sequence number file (expected one decimal number)", e);
      }
    }
    return new SequenceFloor(Optional.of(file), mark);
  }

  /** The next sequence number at {@code nowMillis}: above every one issued before, from this file's history too. */
  public synchronized long next(long nowMillis) {
    last = Math.max(last + 1, nowMillis);
    if (last >= reserved && file.isPresent()) {
      long mark = last + RESERVE_MILLIS;
      try {
        SecretFiles.write(file.get(), (mark + "\n").getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot persist the sequence floor in " + file.get(), e);
      }
      reserved = mark;
    }
    return last;
  }
}
