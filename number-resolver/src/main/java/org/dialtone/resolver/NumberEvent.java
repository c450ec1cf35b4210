package org.dialtone.resolver;

import java.util.Objects;
import java.util.Optional;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.Share;

/**
 * Something that happened on a watched number.
 *
 * @param type what happened
 * @param number the watched number
 * @param agent who did it (for LEFT, the agent's last known record)
 * @param share for SHARED, the new recommendation
 */
public record NumberEvent(Type type, DialNumber number, AgentInfo agent, Optional<Share> share) {
  /** The kinds of event, as in the seed's gossip flow. */
  public enum Type {
    /** An agent announced itself on the number. */
    JOINED,
    /** An agent left (signed tombstone) or its presence expired without being renewed (it crashed). */
    LEFT,
    /** An agent on the number recommended another number. */
    SHARED,
    /** An agent hosts the number, or changed what it hosts. */
    HOSTING
  }

  public NumberEvent {
    Objects.requireNonNull(type);
    Objects.requireNonNull(number);
    Objects.requireNonNull(agent);
    Objects.requireNonNull(share);
  }

  @Override
  public String toString() {
    return type + " " + number + ": " + agent.name() + share.map(s -> " recommends " + s.number()
        + (s.note().isEmpty() ? "" : " (" + s.note() + ")")).orElse("");
  }
}
