package org.dialtone.agent.gossip;

/** What {@link KnownNumbers#learn} did with a record. */
public enum LearnOutcome {
  /** A record not known before. */
  NEW,
  /** A newer version (higher sequence) of a known record. */
  UPDATED,
  /** Already known at this or a higher sequence: ignored. */
  DUPLICATE,
  /** Not a HOST or SHARES record, or its payload does not decode: refused. */
  WRONG_KIND,
  /** The original publisher's signature does not verify: refused, never forwarded. */
  BAD_SIGNATURE,
  /** Past its expiry: refused. */
  EXPIRED,
  /** The table is full of records that outlive this one: refused. */
  FULL,
  /** Expires further ahead than the DHT keeps records (a "forever" record): refused. */
  EXPIRY_TOO_FAR,
  /** The teller, or the publisher, already has its share of the table: refused. */
  QUOTA
}
