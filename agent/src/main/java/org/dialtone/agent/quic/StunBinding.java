package org.dialtone.agent.quic;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.dialtone.dht.net.PeerAddress;

/**
 * The client half of a STUN Binding (RFC 8489), enough to learn the public mapping of a socket from a node's STUN
 * server: a 20-byte request, and the XOR-MAPPED-ADDRESS of a success response with the same transaction id.
 * Anything else is not an answer ({@link Optional#empty()}).
 */
public final class StunBinding {
  static final int HEADER_BYTES = 20;
  static final int MAGIC_COOKIE = 0x2112A442;
  private static final int BINDING_REQUEST = 0x0001;
  private static final int BINDING_SUCCESS = 0x0101;
  private static final int XOR_MAPPED_ADDRESS = 0x0020;

  private StunBinding() {}

  /** A Binding request with {@code transactionId} (12 bytes), no attributes. */
  public static byte[] request(byte[] transactionId) {
    if (transactionId.length != 12) {
      throw new IllegalArgumentException("a transaction id is 12 bytes, got " + transactionId.length);
    }
    return ByteBuffer.allocate(HEADER_BYTES).putShort((short) BINDING_REQUEST).putShort((short) 0)
        .putInt(MAGIC_COOKIE).put(transactionId).array();
  }

  /** True for a datagram shaped like STUN (top two bits clear, the magic cookie): never a probe or QUIC packet. */
  public static boolean looksLikeStun(byte[] d) {
    return d.length >= HEADER_BYTES && (d[0] & 0xC0) == 0 && ByteBuffer.wrap(d, 4, 4).getInt() == MAGIC_COOKIE;
  }

  /** The transaction id of a STUN-shaped datagram. */
  public static byte[] transactionId(byte[] d) {
    return Arrays.copyOfRange(d, 8, 20);
  }

  /** The mapped address of a Binding success response, or empty for anything else (malformed included). */
  public static Optional<PeerAddress> mappedAddress(byte[] d) {
    if (!looksLikeStun(d)) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(d);
    int type = b.getShort() & 0xFFFF;
    int length = b.getShort() & 0xFFFF;
    if (type != BINDING_SUCCESS || length != d.length - HEADER_BYTES) {
      return Optional.empty();
    }
    b.position(HEADER_BYTES);
    while (b.remaining() >= 4) {
      int attr = b.getShort() & 0xFFFF;
      int len = b.getShort() & 0xFFFF;
      if (len > b.remaining()) {
        return Optional.empty();
      }
      int start = b.position();
      if (attr == XOR_MAPPED_ADDRESS && len >= 8) {
        b.get(); // reserved
        int family = b.get() & 0xFF;
        int port = (b.getShort() & 0xFFFF) ^ (MAGIC_COOKIE >>> 16);
        int ipBytes = family == 1 ? 4 : family == 2 ? 16 : -1;
        if (ipBytes < 0 || len < 4 + ipBytes) {
          return Optional.empty();
        }
        byte[] mask = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(d, 8, 12).array();
        byte[] ip = new byte[ipBytes];
        b.get(ip);
        for (int i = 0; i < ip.length; i++) {
          ip[i] ^= mask[i];
        }
        return port == 0 ? Optional.empty() : Optional.of(PeerAddress.of(ip, port));
      }
      b.position(start + ((len + 3) & ~3)); // attributes are padded to 4 bytes
    }
    return Optional.empty();
  }
}
