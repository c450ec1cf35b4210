package org.dialtone.resolver;

import java.util.List;
import java.util.Objects;
import org.dialtone.resolver.record.AgentInfo;

/**
 * How an agent presents itself wherever it goes: a display name, its interests, and the endpoints it can be
 * reached at when it does not name one for a number it hosts.
 *
 * @param name a display name, at most 64 characters
 * @param interests lowercase interests, at most 16
 * @param endpoints URLs like {@code ws://127.0.0.1:8053}, at most 4
 */
public record AgentProfile(String name, List<String> interests, List<String> endpoints) {
  public AgentProfile {
    Objects.requireNonNull(name, "name");
    interests = List.copyOf(interests);
    endpoints = List.copyOf(endpoints);
  }

  /** A profile with a name only. */
  public static AgentProfile named(String name) {
    return new AgentProfile(name, List.of(), List.of());
  }

  /** The same profile with these interests. */
  public AgentProfile withInterests(String... interests) {
    return new AgentProfile(name, List.of(interests), endpoints);
  }

  /** The same profile with these endpoints. */
  public AgentProfile withEndpoints(String... endpoints) {
    return new AgentProfile(name, interests, List.of(endpoints));
  }

  // Validates the fields with the record rules, so a bad profile fails when the resolver is made.
  void validate(org.dialtone.dht.crypto.PublicKey agent) {
    new AgentInfo(agent, name, org.dialtone.resolver.number.DialNumber.BOOTSTRAP,
        org.dialtone.resolver.record.Role.MEMBER, List.of(), interests, endpoints, List.of(), 0, 0);
  }
}
