package org.dialtone.agent.reach.signal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** 128 random bits: a session id or an envelope's nonce. */
public record Nonce128(long high, long low) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A fresh value from a cryptographic random source. */
  public static Nonce128 random() {
    return random(RANDOM);
  }

  /** A value from {@code random} (tests pass a seeded one). */
  public static Nonce128 random(RandomGenerator random) {
    return new Nonce128(random.nextLong(), random.nextLong());
  }

  @Override
  public String toString() {
    return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
  }
}
