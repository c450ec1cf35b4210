package org.dialtone.agent.webrtc.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;

/**
 * The text messages of a node's signal inbox ({@code WS /signals/{key}}, docs/operators.md): the node's CHALLENGE,
 * this agent's PROOF (Ed25519 over {@code "dialtone-signal-session-v1"}, the 32 challenge bytes and the key, as the
 * page signs it), ATTACHED, or an error frame. Signals themselves arrive as binary frames.
 */
public final class InboxMessages {
  /** What an agent signs to prove its key to the node: this label, the challenge and its key. */
  public static final byte[] PROOF_LABEL = "dialtone-signal-session-v1".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The node's messages are short; anything longer is not one of them. */
  private static final int MAX_TEXT = 1024;
  /** A node's endpoint as it names itself: an IPv4 or bracketed IPv6 literal, a port and its 32-byte key. */
  private static final java.util.regex.Pattern NODE_ENDPOINT =
      java.util.regex.Pattern.compile("dialtone-node://(\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]{2,45}]):\\d{1,5}/[0-9a-f]{64}");

  private InboxMessages() {}

  /** A text message from the node. */
  public sealed interface Message permits Challenge, Attached, Refused {}

  /** The node asks for a proof of the key over {@code challenge} (32 bytes). */
  public record Challenge(byte[] challenge) implements Message {
    /** Copies. */
    public Challenge {
      challenge = challenge.clone();
    }

    @Override
    public byte[] challenge() {
      return challenge.clone();
    }
  }

  /**
   * The inbox is attached: signals for the key come here from now on.
   *
   * @param node the node's own endpoint ({@code dialtone-node://IP:PORT/NODEKEY}), to name in the agent's directory
   *     record so that browsers on other nodes can signal it through theirs; empty when the node named none, or
   *     something else
   */
  public record Attached(Optional<String> node) implements Message {}

  /** The node refused or closed the inbox (BAD_PROOF, NO_PROOF, REPLACED, TOO_MANY_SESSIONS...), or said nonsense. */
  public record Refused(String code, String message) implements Message {}

  /** Reads a text message from the node. */
  public static Message parse(String text) {
    if (text.length() > MAX_TEXT) {
      return new Refused("MALFORMED", "a message of " + text.length() + " characters from the node");
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (java.io.IOException e) {
      return new Refused("MALFORMED", "not JSON from the node");
    }
    if (node == null || !node.isObject()) {
      return new Refused("MALFORMED", "not a JSON object from the node");
    }
    if (node.hasNonNull("error")) {
      return new Refused(node.path("error").asText(), node.path("message").asText());
    }
    switch (node.path("type").asText()) {
      case "CHALLENGE" -> {
        try {
          byte[] c = HexFormat.of().parseHex(node.path("challenge").asText());
          if (c.length == 32) {
            return new Challenge(c);
          }
        } catch (IllegalArgumentException e) {
          // below
        }
        return new Refused("MALFORMED", "a challenge that is not 32 bytes of hex");
      }
      case "ATTACHED" -> {
        String named = node.path("node").asText("");
        return new Attached(NODE_ENDPOINT.matcher(named).matches() ? Optional.of(named) : Optional.empty());
      }
      default -> {
        return new Refused("MALFORMED", "an unknown message type from the node");
      }
    }
  }

  /** The bytes an agent signs to prove {@code key} against {@code challenge}. */
  public static byte[] proofBytes(byte[] challenge, PublicKey key) {
    return ByteBuffer.allocate(PROOF_LABEL.length + challenge.length + PublicKey.BYTES).put(PROOF_LABEL).put(challenge)
        .put(key.toBytes()).array();
  }

  /** The PROOF message answering {@code challenge}, signed by {@code self}. */
  public static String proof(Challenge challenge, Identity self) {
    byte[] signature = self.sign(proofBytes(challenge.challenge(), self.publicKey()));
    return "{\"type\":\"PROOF\",\"signature\":\"" + HexFormat.of().formatHex(signature) + "\"}";
  }
}
