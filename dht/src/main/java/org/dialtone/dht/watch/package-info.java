/**
 * This node's own watches: lookups of a watched key, SUBSCRIBE to the closest nodes, renewal at half the granted
 * time to live, and delivery of verified NOTIFYs to listeners. Internal; callers use
 * {@link org.dialtone.dht.DhtNode#watch} and {@link org.dialtone.dht.api.Watch}.
 *
 * <p>Threats: forged or replayed notifications (every record verified, deduplicated by publisher and sequence),
 * notification floods for keys not watched (dropped without a reply), unbounded state (watches and remembered
 * publishers capped).
 */
package org.dialtone.dht.watch;
