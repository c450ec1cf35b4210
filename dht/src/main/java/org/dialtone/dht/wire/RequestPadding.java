package org.dialtone.dht.wire;

/**
 * Padding for a request to a node that has not seen a round trip from us, as QUIC pads its first packet: a node
 * answers an unproven address with at most three times the bytes it received from it (anti-amplification), so a bare
 * 50-byte FIND_NODE would draw a reply with no contacts. Padded to {@link #minRequestBytes}, the first reply can be
 * whole, and the lookup does not lose a round trip on each new node.
 *
 * <p>The padding is message key {@value #K_PADDING}, a byte string of zeros, added as the last entry of the message
 * map (keys stay in ascending order). Version-1 decoders skip it like any unknown key, so padded and unpadded
 * requests interoperate. Pure functions on bytes; nothing here reads the network.
 */
public final class RequestPadding {
  /**
   * The message key of the padding: after every key of the requests that are padded (see {@code docs/protocol.md};
   * only SIGNAL's envelope, key 19, comes later, and a SIGNAL is never padded).
   */
  public static final int K_PADDING = 18;

  private RequestPadding() {}

  /**
   * The size a request must reach so that a node holding what it sends back to {@code factor} times the request can
   * send a reply of {@code replyBytes} and a follow-up of {@code reserve} bytes; at most a full datagram.
   */
  public static int minRequestBytes(int replyBytes, int factor, int reserve) {
    if (replyBytes < 0 || factor < 1 || reserve < 0) {
      throw new IllegalArgumentException("replyBytes and reserve must not be negative, factor must be positive");
    }
    return Math.min(Message.MAX_DATAGRAM_BYTES, (replyBytes + reserve + factor - 1) / factor);
  }

  /**
   * {@code encoded} (one message as {@link MessageCodec#encode} writes it) grown by a padding entry to
   * {@code minBytes}, or one byte more where CBOR's preferred length headers leave no exact fit; unchanged when it is
   * already that long, when fewer than 2 bytes are missing, or when it is not a definite map of fewer than 23
   * entries. Never beyond {@link Message#MAX_DATAGRAM_BYTES}.
   */
  public static byte[] pad(byte[] encoded, int minBytes) {
    int first = encoded.length == 0 ? 0 : encoded[0] & 0xff;
    int entries = first - 0xa0;
    int target = Math.min(minBytes, Message.MAX_DATAGRAM_BYTES - 1);
    if (target - encoded.length < 2 || entries < 0 || entries >= 23) {
      return encoded;
    }
    // One byte for the key, then the byte string's header (1, 2 or 3 bytes: the shortest that holds its length) and
    // its zeros. Two sizes have no exact fit (the header would grow with the length); they take one byte more.
    int body = target - encoded.length - 1;
    int header = headerBytes(body - 1) == 1 ? 1 : headerBytes(body - 2) == 2 ? 2 : 3;
    if (headerBytes(body - header) != header) {
      body++;
      header = headerBytes(body - 1) == 1 ? 1 : headerBytes(body - 2) == 2 ? 2 : 3;
    }
    int length = body - header;
    byte[] out = new byte[encoded.length + 1 + body];
    System.arraycopy(encoded, 0, out, 0, encoded.length);
    out[0] = (byte) (0xa0 + entries + 1);
    int i = encoded.length;
    out[i++] = (byte) K_PADDING;
    if (header == 1) {
      out[i] = (byte) (0x40 + length);
    } else if (header == 2) {
      out[i++] = 0x58;
      out[i] = (byte) length;
    } else {
      out[i++] = 0x59;
      out[i++] = (byte) (length >>> 8);
      out[i] = (byte) length;
    }
    return out; // the rest is zeros already
  }

  // The bytes of a byte string's header in preferred form, for a string of 'length' bytes.
  private static int headerBytes(int length) {
    return length < 24 ? 1 : length < 256 ? 2 : 3;
  }
}
