package org.dialtone.node.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The STUN messages a node exchanges (RFC 8489): it reads Binding requests and writes Binding success responses
 * (XOR-MAPPED-ADDRESS and FINGERPRINT) and 420 errors for comprehension-required attributes it does not know.
 *
 * @param transactionId the request's 96-bit transaction id
 * @param unknownRequired comprehension-required attribute types (below 0x8000) that this codec does not know
 * @param fingerprinted whether the request carried a (valid) FINGERPRINT
 */
public record StunMessage(byte[] transactionId, List<Integer> unknownRequired, boolean fingerprinted) {
  /** The fixed header: type, length, magic cookie, transaction id. */
  public static final int HEADER_BYTES = 20;
  static final int MAGIC_COOKIE = 0x2112A442;
  static final int BINDING_REQUEST = 0x0001;
  static final int BINDING_SUCCESS = 0x0101;
  static final int BINDING_ERROR = 0x0111;
  static final int XOR_MAPPED_ADDRESS = 0x0020;
  static final int ERROR_CODE = 0x0009;
  static final int UNKNOWN_ATTRIBUTES = 0x000A;
  static final int FINGERPRINT = 0x8028;
  static final int FINGERPRINT_XOR = 0x5354554E;
  /** Attributes a request may carry that need no action here (RFC 8489 section 14 and RFC 8445's ICE ones). */
  private static final List<Integer> KNOWN = List.of(0x0006 /* USERNAME */, 0x0008 /* MESSAGE-INTEGRITY */,
      0x001C /* MESSAGE-INTEGRITY-SHA256 */, 0x001D /* PASSWORD-ALGORITHM */, 0x001E /* USERHASH */,
      0x0014 /* REALM */, 0x0015 /* NONCE */, 0x0024 /* PRIORITY */, 0x0025 /* USE-CANDIDATE */,
      0x0017 /* REQUESTED-ADDRESS-FAMILY */);
  /** At most this many unknown attribute types are listed in a 420 (each costs the reply 2 bytes). */
  static final int MAX_UNKNOWN_LISTED = 4;

  /** Checks the transaction id's size and copies what is mutable. */
  public StunMessage {
    if (transactionId.length != 12) {
      throw new IllegalArgumentException("a transaction id is 12 bytes, got " + transactionId.length);
    }
    transactionId = transactionId.clone();
    unknownRequired = List.copyOf(unknownRequired);
  }

  /** Whether {@code datagram} looks like STUN at all (first bits zero and the magic cookie), as RFC 7983 demuxes. */
  public static boolean looksLikeStun(byte[] datagram) {
    return datagram.length >= HEADER_BYTES && (datagram[0] & 0xC0) == 0
        && ByteBuffer.wrap(datagram, 4, 4).getInt() == MAGIC_COOKIE;
  }

  /** Reads a Binding request. */
  public static StunMessage parseBindingRequest(byte[] datagram) throws StunException {
    if (datagram.length < HEADER_BYTES) {
      throw new StunException(StunException.Reason.TRUNCATED, datagram.length + " bytes, under the 20-byte header");
    }
    if (!looksLikeStun(datagram)) {
      throw new StunException(StunException.Reason.NOT_STUN, "no STUN magic cookie");
    }
    ByteBuffer b = ByteBuffer.wrap(datagram);
    int type = b.getShort() & 0xFFFF;
    int length = b.getShort() & 0xFFFF;
    if (length % 4 != 0 || HEADER_BYTES + length != datagram.length) {
      throw new StunException(StunException.Reason.TRUNCATED,
          "length field " + length + " for " + (datagram.length - HEADER_BYTES) + " bytes of attributes");
    }
    if (type != BINDING_REQUEST) {
      throw new StunException(StunException.Reason.NOT_BINDING_REQUEST, String.format("message type 0x%04x", type));
    }
    b.getInt(); // the cookie, checked above
    byte[] tx = new byte[12];
    b.get(tx);
    List<Integer> unknown = new ArrayList<>();
    boolean fingerprinted = false;
    while (b.hasRemaining()) {
      if (fingerprinted) {
        throw new StunException(StunException.Reason.BAD_ATTRIBUTE, "an attribute after FINGERPRINT");
      }
      int start = b.position();
      if (b.remaining() < 4) {
        throw new StunException(StunException.Reason.BAD_ATTRIBUTE, "a truncated attribute header");
      }
      int attr = b.getShort() & 0xFFFF;
      int attrLength = b.getShort() & 0xFFFF;
      int padded = (attrLength + 3) & ~3;
      if (padded > b.remaining()) {
        throw new StunException(StunException.Reason.BAD_ATTRIBUTE,
            String.format("attribute 0x%04x of %d bytes runs past the end", attr, attrLength));
      }
      if (attr == FINGERPRINT) {
        if (attrLength != 4 || b.getInt() != fingerprint(datagram, start)) {
          throw new StunException(StunException.Reason.BAD_ATTRIBUTE, "a wrong FINGERPRINT");
        }
        fingerprinted = true;
        continue;
      }
      if (attr < 0x8000 && !KNOWN.contains(attr) && unknown.size() < MAX_UNKNOWN_LISTED
          && !unknown.contains(attr)) {
        unknown.add(attr);
      }
      b.position(b.position() + padded);
    }
    return new StunMessage(tx, List.copyOf(unknown), fingerprinted);
  }

  /** A Binding success response telling the requester the address it was seen from, with a FINGERPRINT. */
  public byte[] successResponse(InetSocketAddress seenFrom) {
    byte[] ip = seenFrom.getAddress().getAddress();
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + 4 + 4 + ip.length + 8);
    header(b, BINDING_SUCCESS);
    b.putShort((short) XOR_MAPPED_ADDRESS).putShort((short) (4 + ip.length));
    b.put((byte) 0).put((byte) (ip.length == 4 ? 1 : 2));
    b.putShort((short) (seenFrom.getPort() ^ (MAGIC_COOKIE >>> 16)));
    byte[] mask = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transactionId).array();
    for (int i = 0; i < ip.length; i++) {
      b.put((byte) (ip[i] ^ mask[i]));
    }
    return finish(b);
  }

  /** A 420 error naming the comprehension-required attributes that were not understood (RFC 8489 section 6.3.1.1). */
  public byte[] unknownAttributesResponse() {
    byte[] reason = "Unknown Attribute".getBytes(StandardCharsets.US_ASCII);
    int reasonPadded = (reason.length + 3) & ~3;
    int listPadded = (unknownRequired.size() * 2 + 3) & ~3;
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + 4 + 4 + reasonPadded + 4 + listPadded + 8);
    header(b, BINDING_ERROR);
    b.putShort((short) ERROR_CODE).putShort((short) (4 + reason.length));
    b.putShort((short) 0).put((byte) 4).put((byte) 20).put(reason);
    b.position(b.position() + reasonPadded - reason.length);
    b.putShort((short) UNKNOWN_ATTRIBUTES).putShort((short) (unknownRequired.size() * 2));
    unknownRequired.forEach(t -> b.putShort(t.shortValue()));
    b.position(b.position() + listPadded - unknownRequired.size() * 2);
    return finish(b);
  }

  private void header(ByteBuffer b, int type) {
    b.putShort((short) type).putShort((short) 0).putInt(MAGIC_COOKIE).put(transactionId);
  }

  /** Writes the length (counting the FINGERPRINT to come) and appends the FINGERPRINT. */
  private static byte[] finish(ByteBuffer b) {
    int fingerprintAt = b.position();
    b.putShort(2, (short) (fingerprintAt + 8 - HEADER_BYTES));
    byte[] out = b.array();
    b.putShort((short) FINGERPRINT).putShort((short) 4).putInt(fingerprint(out, fingerprintAt));
    return out;
  }

  /** CRC-32 of the message before the FINGERPRINT attribute at {@code at}, XOR 0x5354554e (section 14.7). */
  private static int fingerprint(byte[] message, int at) {
    CRC32 crc = new CRC32();
    crc.update(message, 0, at);
    return (int) crc.getValue() ^ FINGERPRINT_XOR;
  }

  /** Reads the XOR-MAPPED-ADDRESS of a Binding success response (for clients and tests). */
  public static InetSocketAddress mappedAddress(byte[] response) throws StunException {
    if (!looksLikeStun(response) || (ByteBuffer.wrap(response).getShort() & 0xFFFF) != BINDING_SUCCESS) {
      throw new StunException(StunException.Reason.NOT_STUN, "not a Binding success response");
    }
    ByteBuffer b = ByteBuffer.wrap(response, HEADER_BYTES, response.length - HEADER_BYTES);
    byte[] mask = ByteBuffer.allocate(16).put(response, 4, 16).array();
    while (b.remaining() >= 4) {
      int attr = b.getShort() & 0xFFFF;
      int len = b.getShort() & 0xFFFF;
      if (len > b.remaining()) {
        break;
      }
      if (attr == XOR_MAPPED_ADDRESS && (len == 8 || len == 20)) {
        b.get();
        b.get();
        int port = (b.getShort() & 0xFFFF) ^ (MAGIC_COOKIE >>> 16);
        byte[] ip = new byte[len - 4];
        b.get(ip);
        for (int i = 0; i < ip.length; i++) {
          ip[i] ^= mask[i];
        }
        try {
          return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
          throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
      }
      b.position(b.position() + ((len + 3) & ~3));
    }
    throw new StunException(StunException.Reason.BAD_ATTRIBUTE, "no XOR-MAPPED-ADDRESS");
  }

  /** A Binding request with a FINGERPRINT (for clients and tests). */
  public static byte[] bindingRequest(byte[] transactionId) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + 8);
    new StunMessage(transactionId, List.of(), true).header(b, BINDING_REQUEST);
    return finish(b);
  }

}
