package org.dialtone.agent.webrtc.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.dialtone.dht.crypto.Identity;
import org.junit.jupiter.api.Test;

class InboxMessagesTest {
  @Test
  void theProofVerifiesAsTheNodeChecksIt() throws Exception {
    Identity me = Identity.generate(new Random(3));
    byte[] challenge = new byte[32];
    new Random(4).nextBytes(challenge);
    var m = assertInstanceOf(InboxMessages.Challenge.class, InboxMessages.parse(
        "{\"type\":\"CHALLENGE\",\"challenge\":\"" + HexFormat.of().formatHex(challenge) + "\"}"));
    assertArrayEquals(challenge, m.challenge());
    var proof = new ObjectMapper().readTree(InboxMessages.proof(m, me));
    assertEquals("PROOF", proof.path("type").asText());
    byte[] signature = HexFormat.of().parseHex(proof.path("signature").asText());
    // the node's check (SignalEndpoint): label, challenge, key
    byte[] signed = new byte[26 + 32 + 32];
    System.arraycopy("dialtone-signal-session-v1".getBytes(StandardCharsets.US_ASCII), 0, signed, 0, 26);
    System.arraycopy(challenge, 0, signed, 26, 32);
    System.arraycopy(me.publicKey().toBytes(), 0, signed, 58, 32);
    assertTrue(me.publicKey().verify(signed, signature));
  }

  @Test
  void attachedAndErrors() {
    assertEquals(new InboxMessages.Attached(java.util.Optional.empty()),
        InboxMessages.parse("{\"type\":\"ATTACHED\",\"key\":\"ab\"}"));
    String node = "dialtone-node://10.0.0.1:7440/" + "0f".repeat(32);
    assertEquals(new InboxMessages.Attached(java.util.Optional.of(node)),
        InboxMessages.parse("{\"type\":\"ATTACHED\",\"node\":\"" + node + "\"}"));
    assertEquals(new InboxMessages.Attached(java.util.Optional.of("dialtone-node://[fd77::1]:7440/" + "0f".repeat(32))),
        InboxMessages.parse("{\"type\":\"ATTACHED\",\"node\":\"dialtone-node://[fd77::1]:7440/" + "0f".repeat(32)
            + "\"}"));
    for (String other : new String[] {"ws://10.0.0.1:7440/", "dialtone-node://victim.example:7440/" + "0f".repeat(32),
        "dialtone-node://10.0.0.1:7440/" + "0f".repeat(31) + " x"}) {
      assertEquals(new InboxMessages.Attached(java.util.Optional.empty()),
          InboxMessages.parse("{\"type\":\"ATTACHED\",\"node\":\"" + other + "\"}"), "a node names only itself");
    }
    assertEquals(new InboxMessages.Refused("BAD_PROOF", "no"),
        InboxMessages.parse("{\"error\":\"BAD_PROOF\",\"message\":\"no\"}"));
    assertEquals("MALFORMED", ((InboxMessages.Refused) InboxMessages.parse(
        "{\"type\":\"CHALLENGE\",\"challenge\":\"abcd\"}")).code());
  }

  @Property(tries = 300)
  void noiseIsAlwaysAMessageNeverAnException(@ForAll String noise) {
    InboxMessages.Message m = InboxMessages.parse(noise);
    assertTrue(m instanceof InboxMessages.Refused || m instanceof InboxMessages.Attached
        || m instanceof InboxMessages.Challenge);
  }
}
