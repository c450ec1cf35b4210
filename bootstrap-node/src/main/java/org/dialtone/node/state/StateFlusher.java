package org.dialtone.node.state;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.DhtNode;
import org.dialtone.node.log.StructuredLog;

/**
 * Writes a node's contacts and stored records to its data directory every {@code intervalMillis} when they changed,
 * and once more on {@link #flushNow()} (the shutdown hook). Flushes never overlap. The files are replaced atomically
 * (see {@link AtomicFiles}), so a kill at any moment leaves the state of the last completed flush.
 */
public final class StateFlusher implements AutoCloseable {
  private static final StructuredLog LOG = StructuredLog.of("state");
  private static final long SNAPSHOT_TIMEOUT_SECONDS = 10;

  private final DhtNode node;
  private final DataDir dataDir;
  private final ScheduledExecutorService timer;
  private byte[] lastContacts = new byte[0];
  private byte[] lastRecords = new byte[0];
  private long flushes;

  public StateFlusher(DhtNode node, DataDir dataDir, long intervalMillis) {
    this.node = node;
    this.dataDir = dataDir;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dialtone-state-flusher");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::flushQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** Completed flushes that wrote something. */
  public synchronized long flushes() {
    return flushes;
  }

  /** Writes what changed since the last flush, now; returns true if a file was written. */
  public synchronized boolean flushNow() throws IOException {
    byte[] contacts;
    byte[] records;
    try {
      contacts = StateCodec.encodeContacts(node.contacts().get(SNAPSHOT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
      records = StateCodec.encodeRecords(node.storedRecords().get(SNAPSHOT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IOException("could not take a snapshot of the node: " + e, e);
    }
    boolean wrote = false;
    if (!Arrays.equals(contacts, lastContacts)) {
      dataDir.saveContacts(contacts);
      lastContacts = contacts;
      wrote = true;
    }
    if (!Arrays.equals(records, lastRecords)) {
      dataDir.saveRecords(records);
      lastRecords = records;
      wrote = true;
    }
    if (wrote) {
      flushes++;
      LOG.debug("state.flushed", "contacts_bytes", contacts.length, "records_bytes", records.length);
    }
    return wrote;
  }

  private void flushQuietly() {
    try {
      flushNow();
    } catch (Exception e) {
      LOG.warn("state.flush_failed", e, "dir", dataDir.path());
    }
  }

  /** Stops the periodic flush (does not flush; call {@link #flushNow()} first). */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
