package org.dialtone.agent.reach.punch;

import java.util.Objects;
import org.dialtone.dht.net.PeerAddress;

/** How a punch ended. */
public sealed interface PunchOutcome {
  /** Time from start (after the sync delay) to the end, on the scheduler's clock. */
  long elapsedMillis();

  /** Probes sent, echo included. */
  int probesSent();

  /**
   * A probe from the remote arrived: {@code socket} now has a path to {@code remote}. Every other socket the punch
   * opened is closed; this one is the caller's to keep (hand it to the transport) or close.
   */
  record Punched(PunchStrategy strategy, int socket, PeerAddress remote, long elapsedMillis, int probesSent)
      implements PunchOutcome {
    /** Validates. */
    public Punched {
      Objects.requireNonNull(strategy, "strategy must not be null");
      PeerAddress.require(remote, "remote");
    }
  }

  /** No path; every socket the punch opened is closed. */
  record Failed(PunchStrategy strategy, AbortCode code, long elapsedMillis, int probesSent) implements PunchOutcome {
    /** Validates. */
    public Failed {
      Objects.requireNonNull(strategy, "strategy must not be null");
      Objects.requireNonNull(code, "code must not be null");
    }
  }
}
