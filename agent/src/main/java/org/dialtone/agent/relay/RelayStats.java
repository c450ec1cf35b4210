package org.dialtone.agent.relay;

import java.util.Map;

/**
 * What a relay did so far (for metrics): live reservations and circuits, totals, and refusals by code.
 *
 * @param reservations reservations held now
 * @param circuits circuits open now (waiting for the host or spliced)
 * @param reservationsGranted reservations granted or renewed so far
 * @param circuitsOpened circuits spliced so far
 * @param bytesRelayed bytes forwarded, both directions
 * @param dialBacks dial-backs made
 * @param dialBacksReachable dial-backs that reached the agent and saw it prove its key
 * @param refusals requests refused, by code ({@code RelayRefusal} names, NOT_PROVEN, RATE_LIMITED, ACCEPT_TIMEOUT,
 *     BYTE_LIMIT, DURATION_LIMIT, BAD_MESSAGE, BAD_PATH...)
 */
public record RelayStats(int reservations, int circuits, long reservationsGranted, long circuitsOpened,
    long bytesRelayed, long dialBacks, long dialBacksReachable, Map<String, Long> refusals) {
  /** Copies. */
  public RelayStats {
    refusals = Map.copyOf(refusals);
  }

  /** Refusals with {@code code} so far. */
  public long refused(String code) {
    return refusals.getOrDefault(code, 0L);
  }
}
