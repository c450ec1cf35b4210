package org.dialtone.dht.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;

/**
 * Keeps an {@link Identity} in a file readable by its owner only, so a node keeps its id across restarts.
 *
 * <p>The file is two lines of text: {@code dialtone-ed25519-v1} and the 32-byte seed in hex. It is written to a
 * temporary file with mode 0600 and moved into place atomically, so a crash never leaves half a key behind.
 */
public final class IdentityFile {
  private static final String HEADER = "dialtone-ed25519-v1";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

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
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp); // not a POSIX file system; the directory's permissions must protect the key
    } catch (FileAlreadyExistsException e) {
      throw new IOException("another process is writing " + file, e);
    }
    String text = HEADER + "\n" + HexFormat.of().formatHex(identity.seedCopy()) + "\n";
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
