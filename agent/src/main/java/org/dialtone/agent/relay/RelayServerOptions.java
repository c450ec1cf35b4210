package org.dialtone.agent.relay;

import java.time.Duration;
import java.util.Objects;
import org.dialtone.agent.reach.relay.RelayLimits;

/**
 * A relay server's settings: the {@link RelayLimits} of its book, and the rates and deadlines of its sockets.
 *
 * @param limits reservations and circuits (in all, per subnet, per peer; bytes and lifetime per circuit)
 * @param acceptTimeout how long a dialler waits for the reserved host to take its circuit
 * @param proofTimeout how long a reservation socket may stay open without proving a key
 * @param circuitRequestsPerSecond circuit requests one IP address may make per second on average
 * @param circuitRequestBurst circuit requests one IP address may make at once
 * @param dialBackSpacing the least time between two dial-backs for one IP address
 * @param dialBackTimeout how long a dial-back may take
 */
public record RelayServerOptions(RelayLimits limits, Duration acceptTimeout, Duration proofTimeout,
    double circuitRequestsPerSecond, int circuitRequestBurst, Duration dialBackSpacing, Duration dialBackTimeout) {
  /** 10 s for the host to take a circuit. */
  public static final Duration DEFAULT_ACCEPT_TIMEOUT = Duration.ofSeconds(10);
  /** 10 s to prove a key. */
  public static final Duration DEFAULT_PROOF_TIMEOUT = Duration.ofSeconds(10);
  /** 2 circuit requests per second per IP address on average. */
  public static final double DEFAULT_CIRCUIT_REQUESTS_PER_SECOND = 2;
  /** 8 at once. */
  public static final int DEFAULT_CIRCUIT_REQUEST_BURST = 8;
  /** One dial-back per IP address every 10 s. */
  public static final Duration DEFAULT_DIAL_BACK_SPACING = Duration.ofSeconds(10);
  /** 5 s per dial-back. */
  public static final Duration DEFAULT_DIAL_BACK_TIMEOUT = Duration.ofSeconds(5);

  /** Validates. */
  public RelayServerOptions {
    Objects.requireNonNull(limits, "limits");
    positive(acceptTimeout, "acceptTimeout");
    positive(proofTimeout, "proofTimeout");
    positive(dialBackSpacing, "dialBackSpacing");
    positive(dialBackTimeout, "dialBackTimeout");
    if (!(circuitRequestsPerSecond > 0) || Double.isInfinite(circuitRequestsPerSecond)) {
      throw new IllegalArgumentException("circuitRequestsPerSecond must be positive, got " + circuitRequestsPerSecond);
    }
    if (circuitRequestBurst < 1) {
      throw new IllegalArgumentException("circuitRequestBurst must be at least 1, got " + circuitRequestBurst);
    }
  }

  /** The defaults, with {@code limits}. */
  public static RelayServerOptions of(RelayLimits limits) {
    return new RelayServerOptions(limits, DEFAULT_ACCEPT_TIMEOUT, DEFAULT_PROOF_TIMEOUT,
        DEFAULT_CIRCUIT_REQUESTS_PER_SECOND, DEFAULT_CIRCUIT_REQUEST_BURST, DEFAULT_DIAL_BACK_SPACING,
        DEFAULT_DIAL_BACK_TIMEOUT);
  }

  /** The defaults, with {@link RelayLimits#defaults()}. */
  public static RelayServerOptions defaults() {
    return of(RelayLimits.defaults());
  }

  /** These options with other circuit request rates. */
  public RelayServerOptions withCircuitRequests(double perSecond, int burst) {
    return new RelayServerOptions(limits, acceptTimeout, proofTimeout, perSecond, burst, dialBackSpacing,
        dialBackTimeout);
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
