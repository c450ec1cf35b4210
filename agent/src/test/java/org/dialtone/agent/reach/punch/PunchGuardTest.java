package org.dialtone.agent.reach.punch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dialtone.dht.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

/** The per-agent bounds over wide punches, on virtual time. */
class PunchGuardTest {
  private static final byte[] HOST_A = {(byte) 198, 51, 100, 1};
  private static final byte[] HOST_B = {(byte) 198, 51, 100, 2};
  private static final byte[] HOST_C = {(byte) 198, 51, 100, 3};

  private static PunchGuard.Lease admitted(PunchGuard.Admission a) {
    return assertInstanceOf(PunchGuard.Admission.Admitted.class, a).lease();
  }

  private static AbortCode refused(PunchGuard.Admission a) {
    return assertInstanceOf(PunchGuard.Admission.Refused.class, a).code();
  }

  @Test
  void onePunchAtATimePerRemoteHostAndSoManyAtOnce() {
    VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
    PunchGuard guard = new PunchGuard(time.clock(), new PunchGuard.Limits(2, 10_000, 20_000, 60_000));
    PunchGuard.Lease a = admitted(guard.admit(HOST_A, 1_751));
    assertEquals(AbortCode.REMOTE_HOST_BUSY, refused(guard.admit(HOST_A.clone(), 1_751)));
    PunchGuard.Lease b = admitted(guard.admit(HOST_B, 1_751));
    assertEquals(AbortCode.PROBE_BUDGET, refused(guard.admit(HOST_C, 1_751)), "two at once");
    a.end(100);
    a.end(100); // once
    assertEquals(1, guard.running());
    admitted(guard.admit(HOST_A, 1_751));
    b.end(0);
  }

  /**
   * The attack: Mallory sends punch requests from two hosts and never the SYNC that starts the punches, to hold the
   * host's two wide-punch places. Each reservation lapses after its hold and gives its probes back; an honest punch
   * then gets a place, and a SYNC that comes after the lapse cannot begin the lapsed lease.
   */
  @Test
  void aReservationWhosePunchNeverBeginsLapsesAfterItsHold() {
    VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
    PunchGuard guard = new PunchGuard(time.clock(), new PunchGuard.Limits(2, 10_000, 20_000, 60_000));
    PunchGuard.Lease first = admitted(guard.reserve(HOST_A, 1_751, 10_000));
    PunchGuard.Lease second = admitted(guard.reserve(HOST_B, 1_751, 10_000));
    assertEquals(AbortCode.PROBE_BUDGET, refused(guard.admit(HOST_C, 1_751)), "both places held");
    time.advance(9_999);
    assertEquals(AbortCode.PROBE_BUDGET, refused(guard.admit(HOST_C, 1_751)), "held for the whole hold");
    assertTrue(second.begin(), "a SYNC within the hold begins the punch");
    time.advance(1);
    assertEquals(1, guard.running(), "the unbegun reservation lapsed; the begun one runs on");
    assertEquals(1_751, guard.spentInWindow(), "the lapsed one's probes are given back");
    assertFalse(first.begin(), "a SYNC after the lapse begins nothing");
    PunchGuard.Lease honest = admitted(guard.admit(HOST_C, 1_751));
    time.advance(60_000);
    assertEquals(2, guard.running(), "begun and admitted leases never lapse: they end with their punch");
    honest.end(10);
    second.end(10);
    assertEquals(0, guard.running());
  }

  @Test
  void aPunchReservesItsBudgetAndGivesBackWhatItDidNotSend() {
    VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
    PunchGuard guard = new PunchGuard(time.clock(), new PunchGuard.Limits(4, 4_000, 6_000, 60_000));
    PunchGuard.Lease first = admitted(guard.admit(HOST_A, 1_751));
    assertEquals(1_751, guard.spentInWindow(HOST_A));
    first.end(120); // punched early: 120 probes sent
    assertEquals(120, guard.spentInWindow(HOST_A));
    for (int i = 0; i < 2; i++) {
      admitted(guard.admit(HOST_A, 1_751)).end(1_751); // two full misses
    }
    assertEquals(3_622, guard.spentInWindow(HOST_A));
    assertEquals(AbortCode.PROBE_BUDGET, refused(guard.admit(HOST_A, 1_751)), "the host's minute is spent");
    admitted(guard.admit(HOST_B, 1_751)).end(1_751); // another host has its own budget...
    assertEquals(AbortCode.PROBE_BUDGET, refused(guard.admit(HOST_C, 1_751)), "...within the agent's");
    time.advance(60_001);
    assertEquals(0, guard.spentInWindow());
    admitted(guard.admit(HOST_A, 1_751));
  }
}
