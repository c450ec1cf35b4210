package org.dialtone.dht.record;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.dialtone.dht.net.PeerAddress.Subnet;

/** The records the {@link RecordStore} holds under one key, one per publisher, in publisher byte order. */
final class KeySlot {
  final TreeMap<byte[], StoreEntry> byPublisher = new TreeMap<>(Arrays::compareUnsigned);
  // Records under this key per source prefix; created on the first charged record.
  private Map<Subnet, Integer> perPrefix;

  /** Records under this key charged to {@code prefix}. */
  int countOf(Subnet prefix) {
    return perPrefix == null ? 0 : perPrefix.getOrDefault(prefix, 0);
  }

  /** Charges {@code delta} records to {@code prefix} (null: the node's own, charged to nobody). */
  void charge(Subnet prefix, int delta) {
    if (prefix == null) {
      return;
    }
    if (perPrefix == null) {
      perPrefix = new HashMap<>();
    }
    perPrefix.merge(prefix, delta, (a, b) -> a + b == 0 ? null : a + b);
  }
}
