package org.dialtone.dht.api;

import org.dialtone.dht.record.SignedRecord;

/**
 * Receives the records of a {@link Watch}: each new version of a record stored under the watched key.
 *
 * <p>Runs on the node's thread: it must not block. Every record passed has been verified by the watching node
 * (under the watched key, unexpired, not too far in the future, signature valid), and each (publisher, seq) is passed
 * at most once per watch, however many storing nodes report it: a version lower than or equal to one already passed
 * for the same publisher is not passed again. An exception thrown here is logged and otherwise ignored.
 */
@FunctionalInterface
public interface WatchListener {
  /** A new version of a record under the watched key. */
  void onRecord(SignedRecord record);
}
