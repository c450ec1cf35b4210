package org.dialtone.dht.routing;

import java.util.Objects;

/**
 * What {@link RoutingTable#offer} did with a contact. The table never probes anyone itself: a {@link PendingCheck}
 * asks the owner to ping a contact and report the answer with {@link RoutingTable#onCheckResult}.
 */
public sealed interface InsertResult {
  /** The contact was new and its bucket had room: it is now the bucket's most recently seen contact. */
  record Inserted(Contact contact) implements InsertResult {
    public Inserted {
      Objects.requireNonNull(contact, "contact");
    }
  }

  /** The contact was already in the table at the same address: it moved to most recently seen. */
  record Updated(Contact contact) implements InsertResult {
    public Updated {
      Objects.requireNonNull(contact, "contact");
    }
  }

  /**
   * The bucket is full. The candidate waits in the bucket's replacement cache; the owner should ping
   * {@code leastRecentlySeen} and report with {@link RoutingTable#onCheckResult}. If it is dead, the most recently
   * seen replacement (usually the candidate) takes its place.
   */
  record PendingCheck(Contact candidate, Contact leastRecentlySeen) implements InsertResult {
    public PendingCheck {
      Objects.requireNonNull(candidate, "candidate");
      Objects.requireNonNull(leastRecentlySeen, "leastRecentlySeen");
    }
  }

  /** The contact was not inserted, for {@code reason}. */
  record Rejected(Reason reason) implements InsertResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Why an offer was rejected. */
  enum Reason {
    /** The contact is this node. */
    SELF,
    /** Its subnet already has as many contacts in the bucket or the table as the config allows. Not cached. */
    SUBNET_LIMIT,
    /** The id is known at a different address: the old, proven address is kept until it fails. */
    ADDRESS_MISMATCH,
    /**
     * The bucket is full and a liveness check for it is already pending. The candidate went to the replacement cache
     * (dropping the oldest replacement if the cache was full).
     */
    CHECK_IN_PROGRESS
  }
}
