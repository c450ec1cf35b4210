package org.dialtone.node.lan;

import java.time.Duration;

/**
 * The bounds of LAN discovery: how often it may speak, how much it listens to, how much it remembers.
 *
 * @param firstQueryInterval the gap after the first query; it doubles after every query (RFC 6762, section 5.2)
 * @param maxQueryInterval the longest gap between queries, and so the steady query rate (one per this)
 * @param announcements unsolicited announcements at start, {@code announceGap} apart (RFC 6762, section 8.3)
 * @param announceGap the gap between the start's announcements
 * @param minResponseGap at most one response per interface per this, however many queries arrive (section 6)
 * @param recordTtl the time to live we advertise
 * @param maxRememberedTtl an advert is forgotten after at most this, whatever time to live it claims
 * @param inboundPerSecond packets read per second (a token bucket of {@code inboundBurst}); the rest dropped
 * @param inboundBurst the bucket's depth
 * @param peersPerInterface candidates remembered per interface
 * @param peersPerSource candidates remembered per sending address (several nodes may share a host)
 * @param retryUnverifiedAfter how long an advert that failed verification is left alone
 */
public record LanLimits(
    Duration firstQueryInterval,
    Duration maxQueryInterval,
    int announcements,
    Duration announceGap,
    Duration minResponseGap,
    Duration recordTtl,
    Duration maxRememberedTtl,
    int inboundPerSecond,
    int inboundBurst,
    int peersPerInterface,
    int peersPerSource,
    Duration retryUnverifiedAfter) {

  /** The defaults: about one query and a handful of responses per node per minute once settled. */
  public static LanLimits defaults() {
    return new LanLimits(Duration.ofSeconds(1), Duration.ofSeconds(60), 2, Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ofSeconds(120), Duration.ofSeconds(300), 20, 40, 32, 8,
        Duration.ofSeconds(60));
  }

  public LanLimits {
    if (firstQueryInterval.isNegative() || firstQueryInterval.isZero()
        || maxQueryInterval.compareTo(firstQueryInterval) < 0) {
      throw new IllegalArgumentException("query intervals must be positive, the first at most the longest");
    }
    if (announcements < 0 || inboundPerSecond < 1 || inboundBurst < 1 || peersPerInterface < 1
        || peersPerSource < 1) {
      throw new IllegalArgumentException("counts must be positive");
    }
    if (minResponseGap.isNegative() || recordTtl.toSeconds() < 1 || maxRememberedTtl.toSeconds() < 1) {
      throw new IllegalArgumentException("gaps and times to live must be positive");
    }
  }
}
