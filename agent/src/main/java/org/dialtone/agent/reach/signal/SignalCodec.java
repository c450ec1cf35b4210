package org.dialtone.agent.reach.signal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;

/**
 * The signal's bytes, big-endian, documented in {@code docs/connections.md}:
 *
 * <pre>
 * "DTS1" (4) · kind (1) · transport (1) · nat (1) · refusal (1) · sender (32) · recipient (32) · session (16) ·
 * nonce (16) · issued at (8, epoch ms) · expires at (8, epoch ms) · n candidates (1) ·
 * n × [type (1) · family (1: 4 or 6) · address (4 or 16) · port (2)] · payload length (2) · payload · signature (64)
 * </pre>
 *
 * <p>The signature covers {@code "dialtone-signal-v1"} followed by every byte before it. Decoding checks the total
 * size first, then every length before reading, and refuses unknown codes and trailing bytes.
 */
public final class SignalCodec {
  /** The first bytes: format version 1. */
  public static final byte[] MAGIC = "DTS1".getBytes(StandardCharsets.US_ASCII);
  /**
   * An envelope fits in one DHT datagram (1,232 bytes) with room for the message that carries it, so a node
   * forwards it in one datagram without paging.
   */
  public static final int MAX_BYTES = 1100;
  /** Candidates per envelope. */
  public static final int MAX_CANDIDATES = 8;
  /** Payload bytes: room for a data-channel-only SDP offer without its candidates. */
  public static final int MAX_PAYLOAD_BYTES = 700;
  /** The signature's domain label. */
  static final byte[] LABEL = "dialtone-signal-v1".getBytes(StandardCharsets.US_ASCII);
  /** Bytes of an envelope with no candidates and no payload. */
  public static final int MIN_BYTES = 4 + 4 + 32 + 32 + 16 + 16 + 8 + 8 + 1 + 2 + Identity.SIGNATURE_BYTES;

  private static final NatType[] NAT_CODES = {NatType.UNKNOWN, NatType.CONSISTENT, NatType.RANDOM};

  private SignalCodec() {}

  /** The envelope's bytes. */
  public static byte[] encode(SignedSignal signal) {
    byte[] body = bodyBytes(signal.body());
    return ByteBuffer.allocate(body.length + Identity.SIGNATURE_BYTES).put(body).put(signal.signature()).array();
  }

  /** What the sender signs: the label and the body's bytes. */
  static byte[] signedBytes(SignalBody body) {
    byte[] b = bodyBytes(body);
    return ByteBuffer.allocate(LABEL.length + b.length).put(LABEL).put(b).array();
  }

  private static byte[] bodyBytes(SignalBody b) {
    int size = MIN_BYTES - Identity.SIGNATURE_BYTES + b.payload().length;
    for (Candidate c : b.candidates()) {
      size += 2 + (c.address().isIpv4() ? 4 : 16) + 2;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(MAGIC).put((byte) b.kind().code()).put((byte) b.transport().code()).put((byte) b.nat().ordinal())
        .put((byte) b.refusal().code());
    b.sender().copyTo(out.array(), out.position());
    out.position(out.position() + PublicKey.BYTES);
    b.recipient().copyTo(out.array(), out.position());
    out.position(out.position() + PublicKey.BYTES);
    out.putLong(b.session().high()).putLong(b.session().low()).putLong(b.nonce().high()).putLong(b.nonce().low());
    out.putLong(b.issuedAtMillis()).putLong(b.expiresAtMillis());
    out.put((byte) b.candidates().size());
    for (Candidate c : b.candidates()) {
      byte[] ip = c.address().ipBytes();
      out.put((byte) c.type().code()).put((byte) (ip.length == 4 ? 4 : 6)).put(ip).putShort((short) c.address().port());
    }
    byte[] payload = b.payload();
    out.putShort((short) payload.length).put(payload);
    return out.array();
  }

  /**
   * Parses an envelope. Does not verify the signature or the times: that is {@link SignalVerifier}'s job (and a
   * forwarding node's, through {@link SignalVerifier#checkForwardable}).
   *
   * @throws SignalException TOO_LARGE or MALFORMED
   */
  public static SignedSignal decode(byte[] bytes) throws SignalException {
    if (bytes.length > MAX_BYTES) {
      throw new SignalException(SignalError.TOO_LARGE, bytes.length + " bytes, at most " + MAX_BYTES);
    }
    if (bytes.length < MIN_BYTES) {
      throw new SignalException(SignalError.MALFORMED, bytes.length + " bytes, at least " + MIN_BYTES);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      for (byte m : MAGIC) {
        if (in.get() != m) {
          throw new SignalException(SignalError.MALFORMED, "not a signal (magic)");
        }
      }
      SignalKind kind = SignalKind.ofCode(in.get() & 0xff)
          .orElseThrow(() -> new SignalException(SignalError.MALFORMED, "unknown kind"));
      SignalTransport transport = SignalTransport.ofCode(in.get() & 0xff)
          .orElseThrow(() -> new SignalException(SignalError.MALFORMED, "unknown transport"));
      int natCode = in.get() & 0xff;
      if (natCode >= NAT_CODES.length) {
        throw new SignalException(SignalError.MALFORMED, "unknown NAT type " + natCode);
      }
      Refusal refusal = Refusal.ofCode(in.get() & 0xff)
          .orElseThrow(() -> new SignalException(SignalError.MALFORMED, "unknown refusal"));
      if (kind != SignalKind.ANSWER && refusal != Refusal.NONE) {
        throw new SignalException(SignalError.MALFORMED, "a " + kind + " cannot refuse");
      }
      PublicKey sender = key(in);
      PublicKey recipient = key(in);
      Nonce128 session = new Nonce128(in.getLong(), in.getLong());
      Nonce128 nonce = new Nonce128(in.getLong(), in.getLong());
      long issued = in.getLong();
      long expires = in.getLong();
      int n = in.get() & 0xff;
      if (n > MAX_CANDIDATES) {
        throw new SignalException(SignalError.TOO_LARGE, n + " candidates, at most " + MAX_CANDIDATES);
      }
      List<Candidate> candidates = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Candidate.Type type = Candidate.Type.ofCode(in.get() & 0xff)
            .orElseThrow(() -> new SignalException(SignalError.MALFORMED, "unknown candidate type"));
        int family = in.get() & 0xff;
        if (family != 4 && family != 6) {
          throw new SignalException(SignalError.MALFORMED, "address family " + family + ", not 4 or 6");
        }
        byte[] ip = new byte[family == 4 ? 4 : 16];
        in.get(ip);
        candidates.add(new Candidate(type, PeerAddress.of(ip, in.getShort() & 0xffff)));
      }
      int payloadLength = in.getShort() & 0xffff;
      if (payloadLength > MAX_PAYLOAD_BYTES) {
        throw new SignalException(SignalError.TOO_LARGE, "payload of " + payloadLength + " bytes, at most "
            + MAX_PAYLOAD_BYTES);
      }
      if (in.remaining() != payloadLength + Identity.SIGNATURE_BYTES) {
        throw new SignalException(SignalError.MALFORMED, (in.remaining() - Identity.SIGNATURE_BYTES)
            + " bytes after the payload length, expected " + payloadLength);
      }
      byte[] payload = new byte[payloadLength];
      in.get(payload);
      byte[] signature = new byte[Identity.SIGNATURE_BYTES];
      in.get(signature);
      return new SignedSignal(new SignalBody(kind, transport, NAT_CODES[natCode], refusal, sender, recipient,
          session, nonce, issued, expires, candidates, payload), signature);
    } catch (BufferUnderflowException e) {
      throw new SignalException(SignalError.MALFORMED, "truncated");
    }
  }

  private static PublicKey key(ByteBuffer in) {
    byte[] k = new byte[PublicKey.BYTES];
    in.get(k);
    return PublicKey.of(k);
  }
}
