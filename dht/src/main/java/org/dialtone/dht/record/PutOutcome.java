package org.dialtone.dht.record;

import java.util.Objects;
import org.dialtone.dht.error.ErrorCode;

/** What {@link RecordStore#put} did with a record: stored it, already had it, or refused it with a named reason. */
public sealed interface PutOutcome {
  /** True when the record is now in the store: {@link Stored} or {@link Unchanged}. */
  default boolean accepted() {
    return !(this instanceof Refused);
  }

  /**
   * The record was stored.
   *
   * @param replaced true when it superseded a live record of a lower sequence from the same publisher under the
   *     same key; false when it is the first live record of that pair
   */
  record Stored(boolean replaced) implements PutOutcome {
  }

  /**
   * The very same record (signature included) was already stored. Counts as success, so that a publisher's
   * republishing and a repeated STORE are idempotent.
   */
  record Unchanged() implements PutOutcome {
  }

  /**
   * The record was refused and the store is as it was.
   *
   * @param code the stable reason, one of {@code INVALID_RECORD}, {@code EXPIRED}, {@code EXPIRY_TOO_FAR},
   *     {@code BAD_SIGNATURE}, {@code SEQ_TOO_LOW} or {@code STORE_FULL}
   * @param reason a sentence for logs and error replies
   */
  record Refused(ErrorCode code, String reason) implements PutOutcome {
    /** Requires both fields. */
    public Refused {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
