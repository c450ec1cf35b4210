package org.dialtone.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.crypto.SecretFiles;
import org.dialtone.resolver.number.DialNumber;

/**
 * Trust on first use for hosted numbers, as SSH's {@code known_hosts}: the host key an agent first connected to on a
 * number is remembered, and a different key on that number is then refused with {@link AgentError#HOST_KEY_CHANGED}
 * until the user accepts it with {@link #trust} (attack 10 of {@code docs/threats.md}). In memory, or kept in a file
 * of lines {@code NUMBER KEY-HEX SINCE-EPOCH-MILLIS}, rewritten atomically on every change. Bounded: past
 * {@link #MAX_ENTRIES} the entry trusted longest ago is forgotten. Thread-safe.
 */
public final class KnownHosts {
  /** Numbers remembered. */
  public static final int MAX_ENTRIES = 4096;

  /** One trusted host key, and since when. */
  public record Entry(DialNumber number, PublicKey key, long sinceMillis) {}

  private final Optional<Path> file;
  private final Map<DialNumber, Entry> entries = new LinkedHashMap<>();

  private KnownHosts(Optional<Path> file) {
    this.file = file;
  }

  /** A table kept in memory only: trust lasts as long as the agent. */
  public static KnownHosts inMemory() {
    return new KnownHosts(Optional.empty());
  }

  /**
   * A table kept in {@code file} (created on the first change). Fails with a message naming the file and line when
   * the file is damaged: a trust store that silently forgot would defeat its purpose.
   */
  public static KnownHosts open(Path file) throws IOException {
    KnownHosts k = new KnownHosts(Optional.of(file));
    if (Files.exists(file)) {
      SecretFiles.warnIfExposed(file);
      int lineNo = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lineNo++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        try {
          if (f.length != 3) {
            throw new IllegalArgumentException("expected NUMBER KEY SINCE");
          }
          Entry e = new Entry(DialNumber.parse(f[0]), PublicKey.ofHex(f[1]), Long.parseLong(f[2]));
          k.entries.put(e.number(), e);
        } catch (RuntimeException e) {
          throw new IOException(file + ":" + lineNo + ": not a known-hosts line (" + e.getMessage() + ")", e);
        }
      }
    }
    return k;
  }

  /** The key trusted for {@code number}, if any. */
  public synchronized Optional<Entry> trusted(DialNumber number) {
    return Optional.ofNullable(entries.get(number));
  }

  /**
   * Trusts {@code key} for {@code number} from now on, replacing any key trusted before: the user accepting a changed
   * host key, or the first connection to a number.
   */
  public synchronized void trust(DialNumber number, PublicKey key, long nowMillis) {
    Entry old = entries.get(number);
    if (old != null && old.key().equals(key)) {
      return;
    }
    entries.remove(number);
    entries.put(number, new Entry(number, key, nowMillis));
    if (entries.size() > MAX_ENTRIES) {
      entries.remove(entries.keySet().iterator().next());
    }
    save();
  }

  /** Forgets the key trusted for {@code number}; the next connection trusts whatever single host it finds. */
  public synchronized void forget(DialNumber number) {
    if (entries.remove(number) != null) {
      save();
    }
  }

  /** Every trusted host key, oldest first. */
  public synchronized Map<DialNumber, Entry> entries() {
    return Map.copyOf(entries);
  }

  private void save() {
    if (file.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder("# dialtone known hosts: NUMBER KEY SINCE-EPOCH-MILLIS\n");
    for (Entry e : entries.values()) {
      sb.append(e.number()).append(' ').append(e.key().toHex()).append(' ').append(e.sinceMillis()).append('\n');
    }
    try {
      SecretFiles.write(file.get(), sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file.get(), e);
    }
  }
}
