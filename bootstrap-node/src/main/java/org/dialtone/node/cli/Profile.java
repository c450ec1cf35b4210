package org.dialtone.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.IdentityFile;
import org.dialtone.node.state.FsErrors;

/**
 * A named agent identity of the CLI ({@code --as NAME}, {@code DIALTONE_PROFILE}): its own key, its saved display
 * name and interests. The profile {@code default} lives in the config directory itself ({@code agent.key}), any other
 * in {@code profiles/NAME/}.
 *
 * <p>Two commands of one profile publishing at once would overwrite each other's records (they sign as the same
 * agent) and the first to exit would withdraw the other's presence, so a publishing command holds the profile's
 * {@code publish.lock} while it runs and a second one is refused with a line naming the holder.
 */
public final class Profile {
  public static final String DEFAULT = "default";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

  private final String name;
  private final Path dir;

  private Profile(String name, Path dir) {
    this.name = name;
    this.dir = dir;
  }

  /** The profile {@code name} under {@code configDir}; a bad name is a usage error. */
  public static Profile of(Path configDir, String name) {
    String n = name == null || name.isBlank() ? DEFAULT : name;
    if (!NAME.matcher(n).matches()) {
      throw new CliError("BAD_PROFILE", "profile '" + n + "' is not a lowercase word of 1..32 characters "
          + "[a-z0-9_-]", CliError.EXIT_USAGE);
    }
    return new Profile(n, n.equals(DEFAULT) ? configDir : configDir.resolve("profiles").resolve(n));
  }

  public String name() {
    return name;
  }

  public Path dir() {
    return dir;
  }

  public Path keyFile() {
    return dir.resolve("agent.key");
  }

  /**
   * The profile's last sequence number, kept beside its key so that a clock that stepped back between runs does not
   * lock the profile out of its own records.
   */
  public org.dialtone.dht.crypto.SequenceFloor sequenceFloor() {
    try {
      return org.dialtone.dht.crypto.SequenceFloor.open(dir.resolve("agent.seq"));
    } catch (IOException e) {
      throw new CliError("IDENTITY", "cannot open the sequence file of profile '" + name + "': "
          + FsErrors.describe(e), CliError.EXIT_FAILED);
    }
  }

  /** The profile's key, created on first use; an unwritable home is a one-line error saying why. */
  public Identity identity() {
    try {
      return loadOrCreate();
    } catch (IOException e) {
      throw new CliError("IDENTITY", "cannot load or create the key of profile '" + name + "': "
          + FsErrors.describe(e), CliError.EXIT_FAILED);
    }
  }

  /**
   * For commands that only read: the profile's key if it can be had, else a key for this command alone, with a
   * notice on {@code err} (a read-only home, a sandbox).
   */
  public Identity identityOrEphemeral(PrintWriter err) {
    try {
      return loadOrCreate();
    } catch (IOException e) {
      err.println("dialtone: notice: using a temporary key for this command (" + FsErrors.describe(e) + ")");
      err.flush();
      return Identity.generate();
    }
  }

  /**
   * Loads the key, or creates it; when two commands of a new profile start at once, one creates the key and the
   * other waits (up to 5 s) for it rather than failing with "another process is writing".
   */
  private Identity loadOrCreate() throws IOException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        return IdentityFile.loadOrCreate(keyFile());
      } catch (IOException e) {
        boolean racing = String.valueOf(e.getMessage()).startsWith("another process is writing")
            || Files.exists(keyFile().resolveSibling(keyFile().getFileName() + ".tmp"));
        if (!racing || System.nanoTime() > deadline) {
          throw e;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // the other process is mid-write
      }
    }
  }

  /** What the profile remembers: the display name and interests given last to a publishing command. */
  public record Saved(Optional<String> displayName, List<String> interests) {}

  public Saved saved() {
    Path f = dir.resolve("profile.properties");
    Properties p = new Properties();
    if (Files.isRegularFile(f)) {
      try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        // an unreadable profile file: fall back to the defaults, the key is what matters
      }
    }
    String interests = p.getProperty("interests", "");
    return new Saved(Optional.ofNullable(p.getProperty("name")).filter(s -> !s.isBlank()),
        interests.isBlank() ? List.of() : Arrays.stream(interests.split(",")).map(String::strip).toList());
  }

  /** Remembers the display name and interests, so the profile's next commands publish the same ones. */
  public void save(String displayName, List<String> interests) {
    Properties p = new Properties();
    p.setProperty("name", displayName);
    p.setProperty("interests", String.join(",", interests));
    try {
      Files.createDirectories(dir);
      try (Writer w = Files.newBufferedWriter(dir.resolve("profile.properties"), StandardCharsets.UTF_8)) {
        p.store(w, "dialtone profile " + name + ": what its publishing commands say about the agent");
      }
    } catch (IOException e) {
      throw new CliError("PROFILE", "cannot save profile '" + name + "': " + FsErrors.describe(e),
          CliError.EXIT_FAILED);
    }
  }

  /**
   * Takes the profile's publishing lock for the life of the process, or fails with a line naming the command that
   * holds it. The lock is released by the OS when the process ends, however it ends.
   */
  public AutoCloseable lockForPublishing(String what) {
    Path lockFile = dir.resolve("publish.lock");
    try {
      Files.createDirectories(dir);
      FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        lock = null; // held by this very process (tests run commands in one JVM)
      }
      if (lock == null) {
        String holder = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).strip();
        ch.close();
        throw new CliError("PROFILE_BUSY", "profile '" + name + "' is already publishing"
            + (holder.isEmpty() ? "" : " (" + holder + ")") + ": stop that command first, or publish as another "
            + "agent with --as NAME", CliError.EXIT_FAILED);
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ": " + what)
          .getBytes(StandardCharsets.UTF_8)));
      FileLock held = lock;
      return () -> {
        held.release();
        ch.close();
      };
    } catch (IOException e) {
      throw new CliError("PROFILE", "cannot lock profile '" + name + "': " + FsErrors.describe(e),
          CliError.EXIT_FAILED);
    }
  }

  /** The profiles under {@code configDir}: {@code default} first if it has a key, then the named ones. */
  public static List<String> list(Path configDir) {
    List<String> out = new ArrayList<>();
    if (Files.exists(configDir.resolve("agent.key"))) {
      out.add(DEFAULT);
    }
    try (var s = Files.list(configDir.resolve("profiles"))) {
      s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(out::add);
    } catch (IOException e) {
      // none yet
    }
    return out;
  }
}
