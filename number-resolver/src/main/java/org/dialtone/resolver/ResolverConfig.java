package org.dialtone.resolver;

import java.time.Duration;
import java.util.Objects;

/**
 * Resolver settings, immutable and validated once when built. Defaults are the named constants; {@link #defaults()}
 * is right for an agent, and tests override what they need through {@link #builder()} (the same style as
 * {@code DhtConfig}).
 *
 * @param presenceTtl how long an agent's records live without renewal; they are renewed at half of it, so an agent
 *     that crashes drops off within this time
 * @param expiryGrace how long after a member's record expires a watcher waits for a late renewal before reporting
 *     LEFT
 */
public record ResolverConfig(Duration presenceTtl, Duration expiryGrace) {
  /** Two minutes: "minutes, not hours". */
  public static final Duration DEFAULT_PRESENCE_TTL = Duration.ofMinutes(2);
  /** One second: long enough for a renewal that was sent just before expiry to arrive. */
  public static final Duration DEFAULT_EXPIRY_GRACE = Duration.ofSeconds(1);

  public ResolverConfig {
    Objects.requireNonNull(presenceTtl, "presenceTtl");
    Objects.requireNonNull(expiryGrace, "expiryGrace");
    if (presenceTtl.toSeconds() < 2) {
      throw new IllegalArgumentException("presenceTtl must be at least 2 s, got " + presenceTtl);
    }
    if (expiryGrace.isNegative()) {
      throw new IllegalArgumentException("expiryGrace must not be negative, got " + expiryGrace);
    }
  }

  /** The defaults. */
  public static ResolverConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder().presenceTtl(presenceTtl).expiryGrace(expiryGrace);
  }

  /** Builds a {@link ResolverConfig}; unset fields keep their defaults. */
  public static final class Builder {
    private Duration presenceTtl = DEFAULT_PRESENCE_TTL;
    private Duration expiryGrace = DEFAULT_EXPIRY_GRACE;

    private Builder() {}

    /** How long announced records live without renewal (at least 2 s). */
    public Builder presenceTtl(Duration ttl) {
      this.presenceTtl = ttl;
      return this;
    }

    /** How long a watcher waits past a member's expiry for a late renewal before reporting LEFT. */
    public Builder expiryGrace(Duration grace) {
      this.expiryGrace = grace;
      return this;
    }

    /** Validates and builds. */
    public ResolverConfig build() {
      return new ResolverConfig(presenceTtl, expiryGrace);
    }
  }
}
