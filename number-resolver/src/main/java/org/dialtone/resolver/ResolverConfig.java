package org.dialtone.resolver;

import java.time.Duration;

/**
 * Resolver settings.
 *
 * @param presenceTtl how long an agent's records live without renewal; they are renewed at half of it, so an agent
 *     that crashes drops off within this time
 * @param expiryGrace how long after a member's record expires a watcher waits for a late renewal before reporting
 *     LEFT
 */
public record ResolverConfig(Duration presenceTtl, Duration expiryGrace) {
  /** Two minutes: "minutes, not hours". */
  public static final Duration DEFAULT_PRESENCE_TTL = Duration.ofMinutes(2);
  public static final Duration DEFAULT_EXPIRY_GRACE = Duration.ofSeconds(1);

  public ResolverConfig {
    if (presenceTtl.toSeconds() < 2) {
      throw new IllegalArgumentException("presenceTtl must be at least 2 s, got " + presenceTtl);
    }
    if (expiryGrace.isNegative()) {
      throw new IllegalArgumentException("expiryGrace must not be negative");
    }
  }

  /** The defaults. */
  public static ResolverConfig defaults() {
    return new ResolverConfig(DEFAULT_PRESENCE_TTL, DEFAULT_EXPIRY_GRACE);
  }

  /** The defaults with another presence time to live. */
  public static ResolverConfig withPresenceTtl(Duration ttl) {
    return new ResolverConfig(ttl, DEFAULT_EXPIRY_GRACE);
  }
}
