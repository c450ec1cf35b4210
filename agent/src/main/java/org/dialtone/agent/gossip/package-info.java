/**
 * Number gossip between connected agents: {@link org.dialtone.agent.gossip.KnownNumbers}, a push-pull exchange of
 * signed HOST and SHARES records carried verbatim, with no I/O and the time passed in.
 *
 * <p>Threats it defends against: forged or altered records (only records whose publisher's signature verifies are
 * kept, so an agent can forward only what it can vouch for: no amplification of its own claims); replays of old
 * records (the highest sequence number per publisher and key wins, expired records are dropped); memory exhaustion
 * (at most 2,048 records, the soonest-expiring evicted first; a digest and an offer each fit one frame); hostile
 * encodings ({@link org.dialtone.agent.gossip.RecordWire} checks every length against what is left before reading).
 */
package org.dialtone.agent.gossip;
