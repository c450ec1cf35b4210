package org.dialtone.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.dialtone.dht.net.PeerAddress;
import org.junit.jupiter.api.Test;

class TokenManagerTest {
  private static final long T0 = 1_000_000L;
  private static final long ROTATE = TokenManager.ROTATE_MILLIS;
  private static final PeerAddress ALICE = PeerAddress.parse("203.0.113.7:7440");

  private static TokenManager manager(long seed) {
    return new TokenManager(new Random(seed), T0);
  }

  @Test
  void tokenIsValidForTheAddressItWasIssuedTo() {
    TokenManager tokens = manager(1);
    byte[] token = tokens.issue(ALICE, T0);
    assertEquals(TokenManager.TOKEN_BYTES, token.length);
    assertTrue(tokens.isValid(token, ALICE, T0));
    assertTrue(tokens.isValid(token, PeerAddress.parse("203.0.113.7:7440"), T0 + 1000));
  }

  @Test
  void tokenIsInvalidForAnotherIpOrPort() {
    TokenManager tokens = manager(2);
    byte[] token = tokens.issue(ALICE, T0);
    assertFalse(tokens.isValid(token, PeerAddress.parse("203.0.113.8:7440"), T0));
    assertFalse(tokens.isValid(token, PeerAddress.parse("203.0.113.7:7441"), T0));
    assertFalse(tokens.isValid(token, PeerAddress.parse("[2001:db8::cb00:7107]:7440"), T0));
  }

  @Test
  void worksForIpv6() {
    TokenManager tokens = manager(3);
    PeerAddress v6 = PeerAddress.parse("[2001:db8::1]:9000");
    byte[] token = tokens.issue(v6, T0);
    assertTrue(tokens.isValid(token, v6, T0));
    assertFalse(tokens.isValid(token, PeerAddress.parse("[2001:db8::2]:9000"), T0));
  }

  @Test
  void tokenSurvivesOneRotationButNotTwo() {
    TokenManager tokens = manager(4);
    byte[] token = tokens.issue(ALICE, T0);
    assertTrue(tokens.isValid(token, ALICE, T0 + ROTATE - 1));
    assertTrue(tokens.isValid(token, ALICE, T0 + ROTATE), "the previous secret is still accepted");
    assertTrue(tokens.isValid(token, ALICE, T0 + 2 * ROTATE - 1));
    assertFalse(tokens.isValid(token, ALICE, T0 + 2 * ROTATE));
  }

  @Test
  void rotationFollowsAFixedGridSoSparseCallsDoNotStretchALifetime() {
    TokenManager tokens = manager(5);
    // Issued late in the first period: valid into the second period, dead at the start of the third.
    byte[] late = tokens.issue(ALICE, T0 + ROTATE - 1);
    assertTrue(tokens.isValid(late, ALICE, T0 + ROTATE + ROTATE / 2));
    assertFalse(tokens.isValid(late, ALICE, T0 + 2 * ROTATE + 1));

    // Nobody calls for two whole periods: the old token must not survive as the "previous" one.
    TokenManager quiet = manager(6);
    byte[] token = quiet.issue(ALICE, T0);
    assertFalse(quiet.isValid(token, ALICE, T0 + 2 * ROTATE + ROTATE / 2));
  }

  @Test
  void freshTokensDifferAfterRotation() {
    TokenManager tokens = manager(7);
    byte[] before = tokens.issue(ALICE, T0);
    assertArrayEquals(before, tokens.issue(ALICE, T0 + ROTATE - 1));
    byte[] after = tokens.issue(ALICE, T0 + ROTATE);
    assertFalse(Arrays.equals(before, after));
    assertTrue(tokens.isValid(after, ALICE, T0 + ROTATE));
  }

  @Test
  void wrongLengthOrMissingTokenIsInvalid() {
    TokenManager tokens = manager(8);
    byte[] token = tokens.issue(ALICE, T0);
    assertFalse(tokens.isValid(Arrays.copyOf(token, 7), ALICE, T0));
    assertFalse(tokens.isValid(Arrays.copyOf(token, 9), ALICE, T0));
    assertFalse(tokens.isValid(new byte[0], ALICE, T0));
    assertFalse(tokens.isValid(null, ALICE, T0));
    byte[] flipped = token.clone();
    flipped[7] ^= 1;
    assertFalse(tokens.isValid(flipped, ALICE, T0));
  }

  @Test
  void secretsComeFromTheGivenRandom() {
    assertArrayEquals(manager(9).issue(ALICE, T0), manager(9).issue(ALICE, T0));
    assertFalse(Arrays.equals(manager(9).issue(ALICE, T0), manager(10).issue(ALICE, T0)));
    assertFalse(manager(11).isValid(manager(12).issue(ALICE, T0), ALICE, T0), "another node's token is worthless");
  }
}
