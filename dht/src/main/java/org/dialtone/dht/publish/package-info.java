/**
 * Records this node keeps alive for its callers: re-signed with a higher sequence and stored again at half their
 * time to live. Internal; callers use {@link org.dialtone.dht.DhtNode#publish} and
 * {@link org.dialtone.dht.api.Publication}.
 *
 * <p>Threats: unbounded work (publications capped by {@link org.dialtone.dht.api.DhtConfig#maxPublications()});
 * sequence reuse across restarts (sequences derive from the clock, so they only go up).
 */
package org.dialtone.dht.publish;
