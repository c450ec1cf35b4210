package org.dialtone.dht.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;

/**
 * The signed envelope every value in the DHT travels in: who published it, under which key, what kind of value,
 * which version, until when, the payload, and an Ed25519 signature over all of that.
 *
 * <p>Immutable: the payload and signature arrays are copied in and out. There is one record per (key, publisher);
 * a higher {@link #seq()} replaces a lower one. The signature covers {@link #signedBytes()}, a fixed binary layout
 * described in {@code docs/protocol.md}, so it does not depend on how the record was encoded on the wire.
 */
public final class SignedRecord {
  /** The largest payload a record may carry, in bytes. */
  public static final int MAX_PAYLOAD_BYTES = 1000;
  /** The largest kind number. */
  public static final int MAX_KIND = 0xFFFF;

  private static final byte[] DOMAIN = "dialtone-record-v1\0".getBytes(StandardCharsets.US_ASCII);

  private final NodeId key;
  private final PublicKey publisher;
  private final int kind;
  private final long seq;
  private final long expiresAtSeconds;
  private final byte[] payload;
  private final byte[] signature;
  private volatile Boolean signatureValid;

  private SignedRecord(
      NodeId key, PublicKey publisher, int kind, long seq, long expiresAtSeconds, byte[] payload, byte[] signature) {
    this.key = Objects.requireNonNull(key, "key");
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    if (kind < 0 || kind > MAX_KIND) {
      throw new IllegalArgumentException("kind must be 0.." + MAX_KIND + ", got " + kind);
    }
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative, got " + seq);
    }
    if (expiresAtSeconds < 0) {
      throw new IllegalArgumentException("expiry must not be negative, got " + expiresAtSeconds);
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "payload is " + payload.length + " bytes, at most " + MAX_PAYLOAD_BYTES + " are allowed");
    }
    if (signature.length != Identity.SIGNATURE_BYTES) {
      throw new IllegalArgumentException("a signature is 64 bytes, got " + signature.length);
    }
    this.kind = kind;
    this.seq = seq;
    this.expiresAtSeconds = expiresAtSeconds;
    this.payload = payload;
    this.signature = signature;
  }

  /** Signs a new record with {@code identity}, which becomes its publisher. */
  public static SignedRecord sign(
      Identity identity, NodeId key, int kind, long seq, long expiresAtSeconds, byte[] payload) {
    byte[] body = signedBytes(key, identity.publicKey(), kind, seq, expiresAtSeconds, payload);
    SignedRecord r = new SignedRecord(
        key, identity.publicKey(), kind, seq, expiresAtSeconds, payload.clone(), identity.sign(body));
    r.signatureValid = Boolean.TRUE;
    return r;
  }

  /**
   * A record as received: nothing is verified here beyond field ranges; call {@link #check} or
   * {@link #hasValidSignature()} before believing it.
   *
   * @throws IllegalArgumentException when a field is out of range (a payload over the limit, a short signature)
   */
  public static SignedRecord of(
      NodeId key, PublicKey publisher, int kind, long seq, long expiresAtSeconds, byte[] payload, byte[] signature) {
    return new SignedRecord(key, publisher, kind, seq, expiresAtSeconds, payload.clone(), signature.clone());
  }

  /** The key the record is stored under. */
  public NodeId key() {
    return key;
  }

  /** The publisher's public key. */
  public PublicKey publisher() {
    return publisher;
  }

  /** What the payload means, defined by the application (0..65535). */
  public int kind() {
    return kind;
  }

  /** The version: a higher one replaces a lower one from the same publisher under the same key. */
  public long seq() {
    return seq;
  }

  /** When the record stops being valid, in seconds since the Unix epoch. */
  public long expiresAtSeconds() {
    return expiresAtSeconds;
  }

  /** A copy of the payload. */
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload size, without copying it. */
  public int payloadLength() {
    return payload.length;
  }

  /** A copy of the 64-byte signature. */
  public byte[] signature() {
    return signature.clone();
  }

  /**
   * How far ahead of ours a publisher's clock may run: a record expiring up to this much beyond the largest time to
   * live still counts as within it. Without it, a publisher whose clock is a few seconds fast, publishing with the
   * largest time to live, would be refused {@code EXPIRY_TOO_FAR} by every node.
   */
  public static final long CLOCK_SKEW_TOLERANCE_SECONDS = 30;

  /** True when the record has expired at {@code nowEpochMillis}. */
  public boolean isExpired(long nowEpochMillis) {
    return expiresAtSeconds * 1000L <= nowEpochMillis;
  }

  /** True when the signature verifies. Verified once per instance; the answer is kept. */
  public boolean hasValidSignature() {
    Boolean valid = signatureValid;
    if (valid == null) {
      valid = publisher.verify(signedBytes(), signature);
      signatureValid = valid;
    }
    return valid;
  }

  /**
   * Checks everything a node checks before it stores or believes the record: it is under {@code expectedKey}, not
   * expired at {@code nowEpochMillis}, expires at most {@code maxTtlSeconds} (plus {@link #CLOCK_SKEW_TOLERANCE_SECONDS})
   * from now, and the signature verifies.
   * Cheap checks come first, so a record that fails them costs no signature verification.
   *
   * @return the reason the record is refused, or empty when it is acceptable
   */
  public Optional<ErrorCode> check(NodeId expectedKey, long nowEpochMillis, long maxTtlSeconds) {
    if (!key.equals(expectedKey)) {
      return Optional.of(ErrorCode.INVALID_RECORD);
    }
    if (isExpired(nowEpochMillis)) {
      return Optional.of(ErrorCode.EXPIRED);
    }
    if (expiresAtSeconds - nowEpochMillis / 1000L > maxTtlSeconds + CLOCK_SKEW_TOLERANCE_SECONDS) {
      return Optional.of(ErrorCode.EXPIRY_TOO_FAR);
    }
    if (!hasValidSignature()) {
      return Optional.of(ErrorCode.BAD_SIGNATURE);
    }
    return Optional.empty();
  }

  /** The exact bytes the signature covers. */
  public byte[] signedBytes() {
    return signedBytes(key, publisher, kind, seq, expiresAtSeconds, payload);
  }

  private static byte[] signedBytes(
      NodeId key, PublicKey publisher, int kind, long seq, long expiresAtSeconds, byte[] payload) {
    ByteBuffer buf = ByteBuffer.allocate(DOMAIN.length + 32 + 32 + 2 + 8 + 8 + 4 + payload.length);
    buf.put(DOMAIN).put(key.toBytes()).put(publisher.toBytes());
    buf.putShort((short) kind).putLong(seq).putLong(expiresAtSeconds);
    buf.putInt(payload.length).put(payload);
    return buf.array();
  }

  /** True when {@code other} is the very same record, signature included. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SignedRecord r
        && r.seq == seq
        && r.kind == kind
        && r.expiresAtSeconds == expiresAtSeconds
        && r.key.equals(key)
        && r.publisher.equals(publisher)
        && Arrays.equals(r.payload, payload)
        && Arrays.equals(r.signature, signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, publisher, seq) * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SignedRecord[key=" + key.shortHex() + ", publisher=" + publisher.toHex().substring(0, 8)
        + ", kind=" + kind + ", seq=" + seq + ", expires=" + expiresAtSeconds
        + ", payload=" + payload.length + "B, sig=" + HexFormat.of().formatHex(signature, 0, 4) + "..]";
  }
}
