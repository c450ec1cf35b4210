package org.dialtone.resolver.record;

import java.util.Optional;

/**
 * The kinds of DHT record the resolver publishes (the {@code kind} field of the signed envelope), the key domain
 * each lives under, and the seed's gossip type it carries. One record per (key, publisher): distinct domains keep an
 * agent's presence, shares and index entries from overwriting each other.
 */
public enum RecordKind {
  /** "I'm here": an {@link AgentInfo} under {@code number:<n>}. */
  PRESENCE(1, "number", GossipType.ANNOUNCE),
  /** "I'm hosting": an {@link AgentInfo} with role HOST under {@code number:<n>}. */
  HOST(2, "number", GossipType.HOST),
  /** "I left": the signed tombstone that replaces a presence or host record under {@code number:<n>}. */
  LEFT(3, "number", GossipType.ANNOUNCE),
  /** "I know about X": a {@link ShareList} under {@code shares:<n>} (the sharer's number) and {@code shared:<interest>}. */
  SHARES(4, "shares", GossipType.SHARE),
  /** Interest index: an {@link AgentInfo} under {@code interest:<i>} for each interest the agent declares. */
  INTEREST(5, "interest", GossipType.ANNOUNCE),
  /** Service index: an {@link AgentInfo} listing the numbers it hosts a service on, under {@code service:<s>}. */
  SERVICE(6, "service", GossipType.HOST),
  /** Agent directory: an {@link AgentInfo} with all the agent's numbers, under {@code agent:<key hex>}. */
  AGENT(7, "agent", GossipType.REQUEST);

  private final int code;
  private final String domain;
  private final GossipType gossipType;

  RecordKind(int code, String domain, GossipType gossipType) {
    this.code = code;
    this.domain = domain;
    this.gossipType = gossipType;
  }

  /** The envelope's kind number. */
  public int code() {
    return code;
  }

  /** The key domain records of this kind are stored under. */
  public String domain() {
    return domain;
  }

  /** The seed's gossip type this kind carries. */
  public GossipType gossipType() {
    return gossipType;
  }

  /** The kind with this envelope number, if it is one of ours. */
  public static Optional<RecordKind> of(int code) {
    for (RecordKind k : values()) {
      if (k.code == code) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
