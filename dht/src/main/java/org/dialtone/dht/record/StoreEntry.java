package org.dialtone.dht.record;

import java.util.Arrays;
import java.util.Comparator;
import org.dialtone.dht.net.PeerAddress.Subnet;

/**
 * A record the {@link RecordStore} holds, with its publisher's bytes (copied once, so that lookups and ordering need
 * no more copies) and the source prefix it is charged to.
 */
final class StoreEntry {
  /** Soonest expiry first; ties by key, then publisher bytes, so that distinct entries never compare equal. */
  static final Comparator<StoreEntry> BY_EXPIRY = StoreEntry::compareExpiry;

  final SignedRecord record;
  final byte[] publisher;
  final Subnet source; // null: this node's own record, charged to no prefix

  StoreEntry(SignedRecord record, byte[] publisher, Subnet source) {
    this.record = record;
    this.publisher = publisher;
    this.source = source;
  }

  private static int compareExpiry(StoreEntry a, StoreEntry b) {
    int c = Long.compare(a.record.expiresAtSeconds(), b.record.expiresAtSeconds());
    if (c != 0) {
      return c;
    }
    c = a.record.key().compareTo(b.record.key());
    return c != 0 ? c : Arrays.compareUnsigned(a.publisher, b.publisher);
  }
}
