package org.dialtone.dht.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Keeps an {@link Identity} in a file readable by its owner only, so a node keeps its id across restarts.
 *
 * <p>The file is two lines of text: {@code dialtone-ed25519-v1} and the 32-byte seed in hex. It is written as the
 * node's state files are ({@link SecretFiles#write}: a temporary file with mode 0600, forced to disk, renamed into
 * place atomically, the directory forced), so a crash never leaves an empty or half-written key behind. Loading a key
 * file that other users can read logs a warning.
 */
public final class IdentityFile {
  private static final String HEADER = "dialtone-ed25519-v1";

  private IdentityFile() {}

  /** Loads the identity in {@code file}, or creates, saves and returns a new one when the file does not exist. */
  public static Identity loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return load(file);
    }
    Identity identity = Identity.generate();
    save(identity, file);
    return identity;
  }

  /** Loads the identity in {@code file}; fails with a message naming the file when it is not a valid key file. */
  public static Identity load(Path file) throws IOException {
    SecretFiles.warnIfExposed(file);
    String[] lines = Files.readString(file, StandardCharsets.US_ASCII).strip().split("\\R");
    if (lines.length != 2 || !lines[0].equals(HEADER)) {
      throw new IOException(file + ": not a Dialtone identity file (expected '" + HEADER + "' and a hex seed)");
    }
    byte[] seed;
    try {
      seed = HexFormat.of().parseHex(lines[1].strip());
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": the seed is not hex", e);
    }
    if (seed.length != Identity.SEED_BYTES) {
      throw new IOException(file + ": the seed is " + seed.length + " bytes, expected " + Identity.SEED_BYTES);
    }
    return Identity.fromSeed(seed);
  }

  /** Saves {@code identity} to {@code file} with owner-only permissions, replacing any file there atomically. */
  public static void save(Identity identity, Path file) throws IOException {
    String text = HEADER + "\n" + HexFormat.of().formatHex(identity.seedCopy()) + "\n";
    SecretFiles.write(file, text.getBytes(StandardCharsets.US_ASCII));
  }
}
