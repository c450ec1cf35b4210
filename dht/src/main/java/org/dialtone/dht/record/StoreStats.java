package org.dialtone.dht.record;

/**
 * Counters of a {@link RecordStore}, for metrics. The first two are current sizes; the others count events since the
 * store was created.
 *
 * @param records records held now (including expired ones not yet purged)
 * @param keys keys holding at least one record now
 * @param stored puts that stored a record (new or replacing)
 * @param refused puts that were refused, for any reason
 * @param evicted live records dropped to make room for another
 * @param expired records dropped because they had expired
 */
public record StoreStats(int records, int keys, long stored, long refused, long evicted, long expired) {
}
