package org.dialtone.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.junit.jupiter.api.Test;

/**
 * The punch bounds as an attacker meets them: a peer that opens the punch service again and again holds one host-side
 * session, and peers together hold at most {@link PunchSessions#MAX_SESSIONS}, dialler sessions included; a session
 * that ends frees its place.
 */
class PunchSessionsTest {
  private final PunchSessions sessions = new PunchSessions();

  private static PublicKey peer(int seed) {
    return Identity.generate(new Random(seed)).publicKey();
  }

  @Test
  void onePeerHoldsOneHostSessionUntilItEnds() {
    PublicKey mallory = peer(1);
    assertEquals(Optional.empty(), sessions.tryHost(mallory));
    for (int i = 0; i < 10; i++) {
      assertEquals(Optional.of("one punch at a time per peer"), sessions.tryHost(mallory));
    }
    // the refused attempts took no place: three more peers still fit
    for (int p = 2; p <= PunchSessions.MAX_SESSIONS; p++) {
      assertEquals(Optional.empty(), sessions.tryHost(peer(p)));
    }
    sessions.endHost(mallory);
    assertEquals(Optional.empty(), sessions.tryHost(mallory), "an ended session frees the peer's place");
  }

  @Test
  void bothRolesShareTheBound() {
    for (int i = 0; i < PunchSessions.MAX_SESSIONS - 1; i++) {
      assertTrue(sessions.tryDial());
    }
    assertEquals(Optional.empty(), sessions.tryHost(peer(1)));
    assertFalse(sessions.tryDial(), "the bound counts the host's session too");
    assertEquals(Optional.of("at most " + PunchSessions.MAX_SESSIONS + " punches at once"), sessions.tryHost(peer(2)));
    sessions.endDial();
    assertEquals(Optional.empty(), sessions.tryHost(peer(2)), "the refused peer was not left marked as punching");
  }

  @Property
  void theHostsHeldTimeRoundTrips(@ForAll @LongRange(min = 0, max = Integer.MAX_VALUE) long held) {
    assertEquals(held, PunchSteps.heldMillis(PunchSteps.heldPayload(held)));
  }

  @Test
  void anOddHeldPayloadReadsAsZero() {
    assertEquals(0, PunchSteps.heldMillis(new byte[0]));
    assertEquals(0, PunchSteps.heldMillis(new byte[3]));
    assertEquals(0, PunchSteps.heldMillis(new byte[] {(byte) 0x80, 0, 0, 0}), "negative is not a time");
    assertEquals(Integer.MAX_VALUE, PunchSteps.heldMillis(PunchSteps.heldPayload(Long.MAX_VALUE)), "clamped");
  }
}
