package org.dialtone.dht.wire;

import java.util.Objects;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.wire.DecodeException.Reason;

/**
 * The binary encoding of {@link Message}s and {@link SignedRecord}s: one CBOR map with small integer keys per
 * datagram, as specified in {@code docs/protocol.md}.
 *
 * <p>Encoding trusts its input and fails with {@link IllegalArgumentException} on a message the protocol cannot carry
 * (a field of the wrong size, a list over its limit, a datagram over {@link Message#MAX_DATAGRAM_BYTES}). Decoding
 * trusts nothing: whatever the bytes, {@link #decode} either returns a message whose every field is in range or throws
 * {@link DecodeException}; it never throws anything else, so it is safe to call on the event loop.
 *
 * <p>The CBOR is read and written by {@link org.dialtone.dht.codec.CborReader} and
 * {@link org.dialtone.dht.codec.CborWriter}: the protocol's subset only, in its one deterministic encoding.
 *
 * <p>Thread-safe: all methods are static and keep no state.
 */
public final class MessageCodec {
  /** The largest number of nodes in a NODES or VALUES reply. */
  public static final int MAX_NODES = 32;
  /** The largest number of records in a VALUES reply. */
  public static final int MAX_RECORDS = 32;
  /** The largest write token, in bytes. */
  public static final int MAX_TOKEN_BYTES = 8;
  /** The deepest nesting accepted (the top-level map is level 1), unknown fields included. */
  static final int MAX_DEPTH = 8;

  private MessageCodec() {}

  // ---------------------------------------------------------------------------------------------------------------
  // Encoding

  /**
   * The datagram for {@code message}.
   *
   * @throws IllegalArgumentException when the message cannot be sent: a challenge that is not 16 bytes, a challenge
   *     signature that is not 64 bytes, a token over 8 bytes, more than 32 nodes or records, or an encoding over
   *     {@link Message#MAX_DATAGRAM_BYTES} (use {@link #encodedSize} to page before that happens)
   */
  public static byte[] encode(Message message) {
    byte[] bytes = MessageWriter.encodeUnchecked(message);
    if (bytes.length > Message.MAX_DATAGRAM_BYTES) {
      throw new IllegalArgumentException(message.type() + " encodes to " + bytes.length
          + " bytes, over the datagram limit of " + Message.MAX_DATAGRAM_BYTES);
    }
    return bytes;
  }

  /**
   * The number of bytes {@link #encode} produces for {@code message}, even when that is over
   * {@link Message#MAX_DATAGRAM_BYTES} (in which case {@code encode} refuses it). For paging: a reply that does not
   * fit is sent with fewer records or nodes.
   *
   * @throws IllegalArgumentException when a field is out of range, as for {@link #encode}
   */
  public static int encodedSize(Message message) {
    return MessageWriter.encodeUnchecked(message).length;
  }

  /**
   * The standalone encoding of a record (for persistence, or for other layers to carry): the same map that appears
   * inside STORE and VALUES messages.
   */
  public static byte[] encodeRecord(SignedRecord record) {
    Objects.requireNonNull(record, "record");
    return MessageWriter.encodeRecord(record);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Decoding

  /**
   * The message in {@code datagram}. The size is checked before anything is parsed; then the datagram must hold
   * exactly one CBOR map laid out as {@code docs/protocol.md} says, with every field of the right type, size and
   * range. Unknown keys are skipped.
   *
   * @throws DecodeException for any datagram that is not such a message; never any other exception
   */
  public static Message decode(byte[] datagram) throws DecodeException {
    Objects.requireNonNull(datagram, "datagram");
    if (datagram.length > Message.MAX_DATAGRAM_BYTES) {
      throw new DecodeException(Reason.TOO_LARGE, "datagram is " + datagram.length + " bytes, at most "
          + Message.MAX_DATAGRAM_BYTES + " are accepted");
    }
    return MessageReader.decodeMessage(datagram);
  }

  /**
   * The record encoded by {@link #encodeRecord}, checked as strictly as records inside messages. Inputs over
   * {@link Message#MAX_DATAGRAM_BYTES} are refused: no record that large could ever have been sent.
   *
   * @throws DecodeException for any input that is not exactly one valid record map; never any other exception
   */
  public static SignedRecord decodeRecord(byte[] bytes) throws DecodeException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > Message.MAX_DATAGRAM_BYTES) {
      throw new DecodeException(Reason.TOO_LARGE, "record encoding is " + bytes.length + " bytes, at most "
          + Message.MAX_DATAGRAM_BYTES + " are accepted");
    }
    return MessageReader.decodeRecord(bytes);
  }

}
