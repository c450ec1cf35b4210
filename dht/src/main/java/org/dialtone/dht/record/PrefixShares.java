package org.dialtone.dht.record;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.dialtone.dht.net.PeerAddress.Subnet;

/**
 * What each source prefix holds in the {@link RecordStore}: its entries by expiry, which are its quota's count and,
 * when the store is full, the record it gives up first. At most one entry per stored record, so bounded by the
 * store's {@code maxRecords}; the node's own records (no source) are charged to nobody.
 */
final class PrefixShares {
  private final Map<Subnet, TreeSet<StoreEntry>> byPrefix = new HashMap<>();

  void add(StoreEntry e) {
    if (e.source != null) {
      byPrefix.computeIfAbsent(e.source, p -> new TreeSet<>(StoreEntry.BY_EXPIRY)).add(e);
    }
  }

  void remove(StoreEntry e) {
    if (e.source != null) {
      TreeSet<StoreEntry> entries = byPrefix.get(e.source);
      if (entries != null) {
        entries.remove(e);
        if (entries.isEmpty()) {
          byPrefix.remove(e.source);
        }
      }
    }
  }

  /** The records held that were stored from {@code prefix} (null: 0). */
  int count(Subnet prefix) {
    if (prefix == null) {
      return 0;
    }
    TreeSet<StoreEntry> entries = byPrefix.get(prefix);
    return entries == null ? 0 : entries.size();
  }

  /** The number of prefixes holding records. */
  int prefixes() {
    return byPrefix.size();
  }

  /** The prefix holding the most records, or null when none does. */
  // O(prefixes), at most one per stored record: runs only when the store is full and nothing has expired.
  Subnet largest() {
    Subnet best = null;
    int most = 0;
    for (Map.Entry<Subnet, TreeSet<StoreEntry>> e : byPrefix.entrySet()) {
      if (e.getValue().size() > most) {
        most = e.getValue().size();
        best = e.getKey();
      }
    }
    return best;
  }

  /** The soonest-expiring entry of {@code prefix}, which must hold some. */
  StoreEntry soonestOf(Subnet prefix) {
    return byPrefix.get(prefix).first();
  }
}
