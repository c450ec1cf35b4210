package org.dialtone.resolver.record;

import java.util.List;
import java.util.Objects;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.NodeId;
import org.dialtone.resolver.number.DialNumber;

/**
 * What an agent says about itself: who it is (its Ed25519 public key is its id), its display name, the number this
 * record is about, its role there, the services it offers, its interests, where to reach it, and every number it
 * is on. {@code seq} and {@code expiresAtSeconds} are the signed envelope's; a record is only ever believed after
 * its signature was verified (see {@link RecordCodec#decodeAgent}).
 *
 * @param agent the agent's public key, its identity
 * @param name a display name for people, at most 64 characters
 * @param number the number this record is about
 * @param role member or host on that number
 * @param services lowercase service names (for example {@code chat}, {@code files}), at most 16
 * @param interests lowercase interests (for example {@code crypto}), at most 16
 * @param endpoints URLs to connect to the agent directly (for example {@code ws://127.0.0.1:8053}), at most 4
 * @param numbers every number the agent is on, at most 16
 * @param seq the envelope's sequence number (0 for a record not signed yet)
 * @param expiresAtSeconds the envelope's expiry (0 for a record not signed yet)
 */
public record AgentInfo(
    PublicKey agent,
    String name,
    DialNumber number,
    Role role,
    List<String> services,
    List<String> interests,
    List<String> endpoints,
    List<DialNumber> numbers,
    long seq,
    long expiresAtSeconds) {

  public AgentInfo {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(role, "role");
    name = Limits.text("name", Objects.requireNonNull(name, "name"), Limits.MAX_NAME_CHARS);
    services = Limits.words("services", services);
    interests = Limits.words("interests", interests);
    endpoints = Limits.endpoints(endpoints);
    if (numbers.size() > Limits.MAX_LIST) {
      throw new IllegalArgumentException("numbers: at most " + Limits.MAX_LIST + ", got " + numbers.size());
    }
    numbers = List.copyOf(numbers);
  }

  /** The agent's id in the keyspace: SHA-256 of its public key. */
  public NodeId agentId() {
    return agent.nodeId();
  }

  /** The same facts with the envelope's sequence and expiry filled in. */
  public AgentInfo withEnvelope(long seq, long expiresAtSeconds) {
    return new AgentInfo(agent, name, number, role, services, interests, endpoints, numbers, seq, expiresAtSeconds);
  }

  /** The same facts about another number, in another role. */
  public AgentInfo on(DialNumber number, Role role) {
    return new AgentInfo(agent, name, number, role, services, interests, endpoints, numbers, 0, 0);
  }

  @Override
  public String toString() {
    return name + " (" + agent.toHex().substring(0, 8) + ") " + role.name().toLowerCase() + " on " + number
        + (services.isEmpty() ? "" : " services=" + services) + (endpoints.isEmpty() ? "" : " at " + endpoints);
  }
}
