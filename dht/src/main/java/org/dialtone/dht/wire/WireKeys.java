package org.dialtone.dht.wire;

/**
 * The integer keys of the two CBOR maps the protocol sends, message and record, with their names: the table
 * {@code docs/protocol.md} gives under "The message map" and "Records". Keys are never reused; a new field gets the
 * next number, and decoders skip keys they do not know.
 */
final class WireKeys {
  // Message map keys.
  static final int K_VERSION = 0;
  static final int K_TYPE = 1;
  static final int K_TX_ID = 2;
  static final int K_PUBLIC_KEY = 3;
  static final int K_CHALLENGE = 4;
  static final int K_CHALLENGE_SIGNATURE = 5;
  static final int K_TARGET = 6;
  static final int K_NODES = 7;
  static final int K_TOKEN = 8;
  static final int K_RECORDS = 9;
  static final int K_TOTAL = 10;
  static final int K_OFFSET = 11;
  static final int K_WANT_NODES = 12;
  static final int K_OBSERVED = 13;
  static final int K_ERROR_CODE = 14;
  static final int K_ERROR_MESSAGE = 15;
  static final int K_RECORD = 16;
  static final int K_TTL = 17;
  /** Key 18 is the padding ({@link RequestPadding#K_PADDING}), skipped like an unknown key. */
  static final int K_PADDING = RequestPadding.K_PADDING;
  /** A SIGNAL's envelope. A SIGNAL is never padded (its envelope makes it large), so key 19 never precedes 18. */
  static final int K_SIGNAL = 19;
  /** The highest message key this code knows. */
  static final int K_MAX = K_SIGNAL;
  private static final String[] MESSAGE_KEY_NAMES = {
    "version", "type", "txId", "sender/responder", "challenge", "challenge signature", "target/key", "nodes", "token",
    "records", "total", "offset", "wantNodes", "observed", "error code", "error message", "record", "ttl",
    "padding", "signal"
  };

  // Record map keys.
  static final int R_KEY = 0;
  static final int R_PUBLISHER = 1;
  static final int R_KIND = 2;
  static final int R_SEQ = 3;
  static final int R_EXPIRES = 4;
  static final int R_PAYLOAD = 5;
  static final int R_SIGNATURE = 6;
  private static final String[] RECORD_KEY_NAMES = {
    "key", "publisher", "kind", "seq", "expiresAtSeconds", "payload", "signature"
  };
  /** How many keys a record map has: all of them, always. */
  static final int RECORD_KEYS = RECORD_KEY_NAMES.length;
  /** The bit set of all record keys. */
  static final int ALL_RECORD_KEYS = (1 << RECORD_KEYS) - 1;

  private WireKeys() {}

  /** The generic name of message key {@code key} (0..{@link #K_MAX}); see {@link MessageType#fieldName}. */
  static String messageKeyName(int key) {
    return MESSAGE_KEY_NAMES[key];
  }

  /** The name of record key {@code key} (0..{@link #R_SIGNATURE}). */
  static String recordKeyName(int key) {
    return RECORD_KEY_NAMES[key];
  }
}
