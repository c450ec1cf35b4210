package org.dialtone.dht.error;

import java.util.Optional;

/**
 * Stable error codes. The names appear in the public API's exceptions and the numbers on the wire (in ERROR
 * replies); neither ever changes meaning. New codes are only ever added.
 */
public enum ErrorCode implements DialtoneException.Code {
  /** A request or an operation ran past its deadline. */
  TIMEOUT(1),
  /** The caller cancelled the operation. */
  CANCELLED(2),
  /** The node is closed, or was closed while the operation ran. */
  CLOSED(3),
  /** No bootstrap contact answered, so the node is not part of a network. */
  BOOTSTRAP_FAILED(4),
  /** A put reached no node that accepted the record. */
  NOT_STORED(5),
  /** The operation is not available in this mode (for example, serving queries in client mode). */
  UNSUPPORTED(6),
  /** Too many operations or requests in progress; try again later. */
  OVERLOADED(7),

  /** A datagram could not be decoded. */
  MALFORMED(20),
  /** A datagram spoke a protocol version this node does not. */
  UNSUPPORTED_VERSION(21),
  /** Too many requests from one address. */
  RATE_LIMITED(22),
  /** A STORE or SUBSCRIBE carried no write token, or one not handed to that address recently. */
  BAD_TOKEN(23),

  /** A record's signature does not verify against its publisher's key. */
  BAD_SIGNATURE(40),
  /** A record has expired, or expires further in the future than a node keeps records. */
  EXPIRED(41),
  /** A record's sequence number is not higher than the one stored for the same key and publisher. */
  SEQ_TOO_LOW(42),
  /** A record's payload is larger than the limit. */
  PAYLOAD_TOO_LARGE(43),
  /** The store has no room for the record under its eviction rule. */
  STORE_FULL(44),
  /** A record does not belong under the key it was sent for, or is otherwise invalid. */
  INVALID_RECORD(45),
  /** The expiry is further in the future than a node keeps records. */
  EXPIRY_TOO_FAR(46),

  /** A SIGNAL's recipient holds no signal session with the node it was sent to. */
  NOT_ATTACHED(60);

  private final int wireCode;

  ErrorCode(int wireCode) {
    this.wireCode = wireCode;
  }

  /** The number sent in ERROR replies. */
  public int wireCode() {
    return wireCode;
  }

  /** The code with this wire number, if any. */
  public static Optional<ErrorCode> fromWire(int code) {
    for (ErrorCode c : values()) {
      if (c.wireCode == code) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
