package org.dialtone.agent.reach.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.dialtone.dht.crypto.PublicKey;

/**
 * Bytes of {@link RelayMessage}s, one per binary WebSocket message: {@code "DTR1"} (4) · type (1) · body. Bodies:
 * CHALLENGE (1) nonce (32) · observed address length (1) · UTF-8 (at most 64); PROOF (2) key (32) · signature (64);
 * DIAL_BACK (3) port (u16); DIAL_BACK_RESULT (4) reachable (1: 0 or 1); RESERVE (5) empty; RESERVED (6) ttl ms
 * (u64, positive); REFUSED (7) code length (1) · ASCII; CIRCUIT_OFFER (8) token (16) · the dialler's observed
 * address length (1) · UTF-8 (at most 64). Nothing may follow a body.
 * Strict: any other size, type, or value is a {@link RelayWireException}; no message is longer than
 * {@link #MAX_BYTES}.
 */
public final class RelayWire {
  /** The longest message (a CHALLENGE with a 64-byte address). */
  public static final int MAX_BYTES = 4 + 1 + 32 + 1 + 64;
  private static final int MAX_OBSERVED_BYTES = 64;
  private static final byte[] MAGIC = {'D', 'T', 'R', '1'};
  private static final byte[] PROOF_CONTEXT = "dialtone-relay-v1 reserve".getBytes(StandardCharsets.US_ASCII);

  private RelayWire() {}

  /** What a reserving agent signs: a context string, the relay's nonce, and its own key. */
  public static byte[] proofMessage(byte[] nonce, PublicKey key) {
    return ByteBuffer.allocate(PROOF_CONTEXT.length + nonce.length + PublicKey.BYTES).put(PROOF_CONTEXT).put(nonce)
        .put(key.toBytes()).array();
  }

  /** Encodes one message. */
  public static byte[] encode(RelayMessage m) {
    ByteBuffer b = ByteBuffer.allocate(MAX_BYTES).put(MAGIC);
    if (m instanceof RelayMessage.Challenge c) {
      byte[] observed = observedBytes(c.observed());
      b.put((byte) 1).put(c.nonce()).put((byte) observed.length).put(observed);
    } else if (m instanceof RelayMessage.Proof p) {
      b.put((byte) 2).put(p.key().toBytes()).put(p.signature());
    } else if (m instanceof RelayMessage.DialBack d) {
      b.put((byte) 3).putShort((short) d.port());
    } else if (m instanceof RelayMessage.DialBackResult r) {
      b.put((byte) 4).put((byte) (r.reachable() ? 1 : 0));
    } else if (m instanceof RelayMessage.Reserve) {
      b.put((byte) 5);
    } else if (m instanceof RelayMessage.Reserved r) {
      b.put((byte) 6).putLong(r.ttlMillis());
    } else if (m instanceof RelayMessage.Refused r) {
      b.put((byte) 7).put((byte) r.code().length()).put(r.code().getBytes(StandardCharsets.US_ASCII));
    } else if (m instanceof RelayMessage.CircuitOffer c) {
      byte[] observed = observedBytes(c.observed());
      b.put((byte) 8).put(c.token()).put((byte) observed.length).put(observed);
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  /** Decodes one message, or throws {@link RelayWireException} saying what is wrong. */
  public static RelayMessage decode(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      throw new RelayWireException("message of " + bytes.length + " bytes, at most " + MAX_BYTES);
    }
    if (bytes.length < 5 || bytes[0] != 'D' || bytes[1] != 'T' || bytes[2] != 'R' || bytes[3] != '1') {
      throw new RelayWireException("not a relay message (magic DTR1 and a type expected)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 5, bytes.length - 5);
    try {
      RelayMessage m = switch (bytes[4]) {
        case 1 -> {
          byte[] nonce = take(b, RelayMessage.NONCE_BYTES);
          yield new RelayMessage.Challenge(nonce, observed(b));
        }
        case 2 -> new RelayMessage.Proof(PublicKey.of(take(b, PublicKey.BYTES)), take(b, 64));
        case 3 -> new RelayMessage.DialBack(Short.toUnsignedInt(b.getShort()));
        case 4 -> {
          byte v = b.get();
          if (v != 0 && v != 1) {
            throw new RelayWireException("reachable must be 0 or 1, got " + v);
          }
          yield new RelayMessage.DialBackResult(v == 1);
        }
        case 5 -> new RelayMessage.Reserve();
        case 6 -> new RelayMessage.Reserved(b.getLong());
        case 7 -> new RelayMessage.Refused(new String(take(b, Byte.toUnsignedInt(b.get())),
            StandardCharsets.US_ASCII));
        case 8 -> {
          byte[] token = take(b, RelayMessage.TOKEN_BYTES);
          yield new RelayMessage.CircuitOffer(token, observed(b));
        }
        default -> throw new RelayWireException("unknown relay message type " + bytes[4]);
      };
      if (b.hasRemaining()) {
        throw new RelayWireException(b.remaining() + " bytes after the message");
      }
      return m;
    } catch (java.nio.BufferUnderflowException e) {
      throw new RelayWireException("message cut short");
    } catch (IllegalArgumentException e) {
      throw new RelayWireException(e.getMessage());
    }
  }

  private static byte[] observedBytes(String observed) {
    byte[] bytes = observed.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_OBSERVED_BYTES) {
      throw new IllegalArgumentException("observed address over " + MAX_OBSERVED_BYTES + " bytes");
    }
    return bytes;
  }

  /** An observed address: length (1) and UTF-8, at most {@value #MAX_OBSERVED_BYTES} bytes. */
  private static String observed(ByteBuffer b) {
    int n = Byte.toUnsignedInt(b.get());
    if (n > MAX_OBSERVED_BYTES) {
      throw new RelayWireException("observed address of " + n + " bytes, at most " + MAX_OBSERVED_BYTES);
    }
    return new String(take(b, n), StandardCharsets.UTF_8);
  }

  private static byte[] take(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }
}
