/**
 * The seed's five gossip types on the DHT: {@link org.dialtone.resolver.NumberResolver} announces, discovers, shares,
 * hosts and requests, each as signed records under content keys; {@code NumberWatcher} turns a number's record
 * notifications into JOINED / LEFT / SHARED / HOSTING events, and {@code Republisher} renews what an agent announced
 * at half its time to live. {@code FoundRecords} is the read side: which of the records a get found to believe, and
 * the roster, listings and shares they make.
 *
 * <p>Threats it defends against: forged presence (every record is signed by its publisher and verified again by the
 * reader, so no node can make an agent appear or leave); stale or replayed records (one record per publisher and key,
 * the highest sequence wins, and sequence numbers grow with wall time, also across restarts); a crashed agent
 * lingering (records live {@link org.dialtone.resolver.ResolverConfig#presenceTtl()}, two minutes by default, and a
 * watcher reports LEFT when one lapses); unbounded state (an agent is on at most 16 numbers, a watcher tracks at most
 * 4,096 members per number). Failures reach the caller as {@link org.dialtone.resolver.ResolverException} with a
 * stable code.
 */
package org.dialtone.resolver;
