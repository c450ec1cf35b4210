package org.dialtone.dht.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold keys or trust decisions: written owner-only and durably, as the node's state files are (a temporary
 * file forced to disk, renamed over the old one atomically, then the directory forced), so a crash at any moment
 * leaves the old content or the new, never an empty or half-written file; and checked on load for permissions that
 * let other users read them.
 */
public final class SecretFiles {
  private static final System.Logger LOG = System.getLogger(SecretFiles.class.getName());
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private SecretFiles() {}

  /** Replaces {@code file} with {@code bytes}, owner-only where the file system has permissions, atomically. */
  public static void write(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp); // not a POSIX file system; the directory's permissions must protect the file
    } catch (FileAlreadyExistsException e) {
      throw new IOException("another process is writing " + file, e);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true); // the rename itself survives a power loss
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms cannot open a directory; the rename is still atomic, only its durability is the OS's.
    }
  }

  /**
   * True, and a warning logged, when {@code file} is readable or writable by its group or by others: a key file
   * other users can read is a key they can use.
   */
  public static boolean warnIfExposed(Path file) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      boolean exposed = p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
          || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE);
      if (exposed) {
        LOG.log(System.Logger.Level.WARNING, "{0} is readable or writable by other users ({1}); "
            + "run: chmod 600 {0}", file, PosixFilePermissions.toString(p));
      }
      return exposed;
    } catch (UnsupportedOperationException | IOException e) {
      return false; // not a POSIX file system
    }
  }
}
