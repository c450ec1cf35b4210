package org.dialtone.node.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.IdentityFile;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.routing.Contact;
import org.dialtone.node.log.StructuredLog;

/**
 * A node's data directory:
 *
 * <pre>
 * node.key       the node's Ed25519 identity (owner-only), so its id survives restarts
 * contacts.bin   the routing table's contacts at the last flush
 * records.cbor   the records it held for others at the last flush
 * </pre>
 *
 * A state file that is torn or corrupt is moved aside to {@code name.corrupt} and the node starts without it (it
 * relearns contacts on bootstrap and records from republishing), rather than refusing to start.
 */
public final class DataDir {
  private static final StructuredLog LOG = StructuredLog.of("state");

  private final Path dir;

  public DataDir(Path dir) {
    this.dir = dir.toAbsolutePath();
  }

  public Path path() {
    return dir;
  }

  public Path keyFile() {
    return dir.resolve("node.key");
  }

  public Path contactsFile() {
    return dir.resolve("contacts.bin");
  }

  public Path recordsFile() {
    return dir.resolve("records.cbor");
  }

  /** Where the node keeps its sequence floor ({@code SequenceFloor}): announcements stay above every one it signed. */
  public Path sequenceFile() {
    return dir.resolve("node.seq");
  }

  /** Creates the directory (owner-only where the file system allows it) and loads or creates the identity. */
  public Identity identity() throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      try {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system; the key file itself is still written owner-only where possible
      }
    }
    return IdentityFile.loadOrCreate(keyFile());
  }

  public List<Contact> loadContacts() {
    byte[] bytes = read(contactsFile());
    if (bytes == null) {
      return List.of();
    }
    try {
      return StateCodec.decodeContacts(bytes);
    } catch (IOException e) {
      setAside(contactsFile(), e);
      return List.of();
    }
  }

  public List<SignedRecord> loadRecords() {
    byte[] bytes = read(recordsFile());
    if (bytes == null) {
      return List.of();
    }
    try {
      return StateCodec.decodeRecords(bytes);
    } catch (IOException e) {
      setAside(recordsFile(), e);
      return List.of();
    }
  }

  public void saveContacts(byte[] encoded) throws IOException {
    AtomicFiles.write(contactsFile(), encoded);
  }

  public void saveRecords(byte[] encoded) throws IOException {
    AtomicFiles.write(recordsFile(), encoded);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      LOG.warn("state.unreadable", e, "file", file);
      return null;
    }
  }

  private static void setAside(Path file, IOException why) {
    Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
    LOG.warn("state.corrupt", why, "file", file, "moved_to", aside);
    try {
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warn("state.set_aside_failed", e, "file", file);
    }
  }
}
