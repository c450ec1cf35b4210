package org.dialtone.dht.wire;

import static org.dialtone.dht.wire.MessageCodec.MAX_DEPTH;
import static org.dialtone.dht.wire.MessageCodec.MAX_NODES;
import static org.dialtone.dht.wire.MessageCodec.MAX_RECORDS;
import static org.dialtone.dht.wire.MessageCodec.MAX_TOKEN_BYTES;
import static org.dialtone.dht.wire.WireKeys.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dialtone.dht.codec.CborException;
import org.dialtone.dht.codec.CborReader;
import org.dialtone.dht.codec.CborReader.Kind;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.wire.DecodeException.Reason;

/**
 * The decoding half of {@link MessageCodec}: reads one message or record map with a {@link CborReader} (which refuses
 * anything outside the protocol's CBOR subset), checking every field's type, size and range as it is read and the
 * required keys of the {@link MessageType} once the map is complete. Throws only {@link DecodeException}.
 */
final class MessageReader {
  private MessageReader() {}

  static Message decodeMessage(byte[] datagram) throws DecodeException {
    return parse(datagram, r -> r.build(r.readMessage()));
  }

  static SignedRecord decodeRecord(byte[] bytes) throws DecodeException {
    return parse(bytes, r -> r.readRecord("record"));
  }

  /** What to read from a whole input; the end is checked after it. */
  private interface Body<T> {
    T read(Reader r) throws CborException, DecodeException;
  }

  private static <T> T parse(byte[] bytes, Body<T> body) throws DecodeException {
    if (bytes.length == 0) {
      throw new DecodeException(Reason.MALFORMED, "empty input");
    }
    Reader r = new Reader(new CborReader(bytes, MAX_DEPTH));
    try {
      T value = body.read(r);
      r.cbor.expectEnd();
      return value;
    } catch (CborException e) {
      throw new DecodeException(Reason.MALFORMED, "not in the protocol's CBOR subset: " + e.getMessage(), e);
    }
  }

  /** The fields of a message map as they are read, before the type is known to be complete. */
  private static final class Fields {
    int seen;
    MessageType type;
    long txId;
    PublicKey publicKey;
    Blob challenge;
    Blob challengeSignature;
    NodeId target;
    List<NodeInfo> nodes = List.of();
    Blob token;
    List<SignedRecord> records = List.of();
    int total;
    int offset;
    boolean wantNodes;
    PeerAddress observed;
    SignedRecord record;
    int ttl;
    Blob signal;
    ErrorCode errorCode;
    String errorMessage = "";

    boolean has(int key) {
      return (seen & (1 << key)) != 0;
    }
  }

  /** Reads the protocol's shapes from the CBOR items of one input. */
  private static final class Reader {
    final CborReader cbor;

    Reader(CborReader cbor) {
      this.cbor = cbor;
    }

    private static String name(Kind kind) {
      return switch (kind) {
        case UNSIGNED -> "an unsigned integer";
        case NEGATIVE -> "a negative integer";
        case BYTES -> "a byte string";
        case TEXT -> "a text string";
        case ARRAY -> "an array";
        case MAP -> "a map";
        case BOOLEAN -> "a boolean";
      };
    }

    /** Reads the top-level map; the version and type are checked as soon as they are read. */
    Fields readMessage() throws CborException, DecodeException {
      Kind kind = cbor.peek();
      if (kind != Kind.MAP) {
        throw new DecodeException(Reason.MALFORMED, "a message is a CBOR map, got " + name(kind));
      }
      Fields f = new Fields();
      for (int entries = cbor.readMap(); entries > 0; entries--) {
        int key = cbor.readKey();
        if (key < 0 || key > K_MAX || key == K_PADDING) {
          cbor.skip();
          continue;
        }
        // Keys arrive in ascending order (the reader refuses duplicates), so each known key is read once.
        f.seen |= 1 << key;
        readField(key, f);
      }
      return f;
    }

    private void readField(int key, Fields f) throws CborException, DecodeException {
      String where = where(key, f.type);
      switch (key) {
        case K_VERSION -> {
          long version = unsignedOrFail(where);
          if (version != Message.VERSION) {
            throw new DecodeException(Reason.UNSUPPORTED_VERSION, "protocol version " + Long.toUnsignedString(version)
                + ", only version " + Message.VERSION + " is spoken here");
          }
        }
        case K_TYPE -> {
          long code = unsignedOrFail(where);
          Optional<MessageType> type = code < 0 ? Optional.empty() : MessageType.ofWire(code);
          if (type.isEmpty()) {
            throw new DecodeException(Reason.UNKNOWN_TYPE, "unknown message type " + Long.toUnsignedString(code));
          }
          f.type = type.get();
        }
        case K_TX_ID -> f.txId = readLong(where);
        case K_PUBLIC_KEY -> f.publicKey = PublicKey.of(readBytes(where, PublicKey.BYTES, PublicKey.BYTES));
        case K_CHALLENGE -> f.challenge =
            Blob.wrap(readBytes(where, Message.CHALLENGE_BYTES, Message.CHALLENGE_BYTES));
        case K_CHALLENGE_SIGNATURE -> f.challengeSignature =
            Blob.wrap(readBytes(where, Identity.SIGNATURE_BYTES, Identity.SIGNATURE_BYTES));
        case K_TARGET -> f.target = NodeId.of(readBytes(where, NodeId.BYTES, NodeId.BYTES));
        case K_NODES -> f.nodes = readNodes(where);
        case K_TOKEN -> f.token = Blob.wrap(readBytes(where, 0, MAX_TOKEN_BYTES));
        case K_RECORDS -> f.records = readRecords(where);
        case K_TOTAL -> f.total = (int) readUint(where, Integer.MAX_VALUE);
        case K_OFFSET -> f.offset = (int) readUint(where, Integer.MAX_VALUE);
        case K_WANT_NODES -> f.wantNodes = readBool(where);
        case K_OBSERVED -> f.observed = readObserved(where);
        case K_ERROR_CODE -> {
          int code = (int) readUint(where, Integer.MAX_VALUE);
          f.errorCode = ErrorCode.fromWire(code).orElseThrow(() -> bad(where, "unknown error code " + code));
        }
        case K_ERROR_MESSAGE -> f.errorMessage = readText(where, Message.MAX_ERROR_MESSAGE_CHARS);
        case K_RECORD -> f.record = readRecord(where);
        case K_TTL -> f.ttl = (int) readUint(where, Integer.MAX_VALUE);
        case K_SIGNAL -> f.signal = Blob.wrap(readBytes(where, Message.MIN_SIGNAL_BYTES, Message.MAX_SIGNAL_BYTES));
        default -> throw new IllegalStateException("no reader for key " + key);
      }
    }

    /** The message the fields make, once the whole map has been read. */
    Message build(Fields f) throws DecodeException {
      // The version and type were checked as they were read; here they only have to be present.
      require(f, K_VERSION, "message", "version");
      require(f, K_TYPE, "message", "type");
      MessageType type = f.type;
      require(f, K_TX_ID, type.name(), "txId");
      for (int key : type.requiredKeys()) {
        require(f, key, type.name(), type.fieldName(key));
      }
      Optional<PublicKey> sender = Optional.ofNullable(f.publicKey);
      Optional<Blob> challenge = Optional.ofNullable(f.challenge);
      Optional<Blob> signature = Optional.ofNullable(f.challengeSignature);
      return switch (type) {
        case PING -> new Message.Ping(f.txId, sender, challenge);
        case FIND_NODE -> new Message.FindNode(f.txId, sender, challenge, f.target, f.offset);
        case FIND_VALUE -> new Message.FindValue(f.txId, sender, challenge, f.target, f.offset, f.wantNodes);
        case STORE -> new Message.Store(f.txId, sender, f.token, f.record);
        case SUBSCRIBE -> new Message.Subscribe(f.txId, sender, f.target, f.token, f.ttl);
        case NOTIFY -> new Message.Notify(f.txId, f.publicKey, f.record);
        case PONG -> new Message.Pong(f.txId, f.publicKey, signature, f.observed);
        case NODES -> new Message.Nodes(f.txId, f.publicKey, signature, f.nodes, f.token, f.offset, f.total);
        case VALUES -> new Message.Values(
            f.txId, f.publicKey, signature, f.nodes, f.token, f.records, f.offset, f.total);
        case STORE_ACK -> new Message.StoreAck(f.txId, f.publicKey, signature);
        case SUBSCRIBED -> new Message.Subscribed(f.txId, f.publicKey, f.ttl);
        case NOTIFY_ACK -> new Message.NotifyAck(f.txId, f.publicKey);
        case SIGNAL -> new Message.Signal(f.txId, sender, f.signal);
        case SIGNAL_ACK -> new Message.SignalAck(f.txId, f.publicKey);
        case ERROR -> new Message.ErrorReply(f.txId, f.publicKey, signature, f.errorCode, f.errorMessage);
      };
    }

    private static void require(Fields f, int key, String type, String name) throws DecodeException {
      if (!f.has(key)) {
        throw new DecodeException(Reason.MISSING_FIELD, type + ": field " + key + " (" + name + ") is missing");
      }
    }

    SignedRecord readRecord(String where) throws CborException, DecodeException {
      Kind kind = cbor.peek();
      if (kind != Kind.MAP) {
        throw bad(where, "a record is a map, got " + name(kind));
      }
      int seen = 0;
      byte[] key = null;
      byte[] publisher = null;
      long kindNumber = 0;
      long seq = 0;
      long expires = 0;
      byte[] payload = null;
      byte[] signature = null;
      for (int entries = cbor.readMap(); entries > 0; entries--) {
        int k = cbor.readKey();
        if (k < 0 || k > R_SIGNATURE) {
          cbor.skip();
          continue;
        }
        seen |= 1 << k;
        String w = where + " > field " + k + " (" + recordKeyName(k) + ")";
        switch (k) {
          case R_KEY -> key = readBytes(w, NodeId.BYTES, NodeId.BYTES);
          case R_PUBLISHER -> publisher = readBytes(w, PublicKey.BYTES, PublicKey.BYTES);
          case R_KIND -> kindNumber = readUint(w, SignedRecord.MAX_KIND);
          case R_SEQ -> seq = readUint(w, Long.MAX_VALUE);
          case R_EXPIRES -> expires = readUint(w, Long.MAX_VALUE);
          case R_PAYLOAD -> payload = readBytes(w, 0, SignedRecord.MAX_PAYLOAD_BYTES);
          case R_SIGNATURE -> signature = readBytes(w, Identity.SIGNATURE_BYTES, Identity.SIGNATURE_BYTES);
          default -> throw new IllegalStateException("no reader for record key " + k);
        }
      }
      if (seen != ALL_RECORD_KEYS) {
        int missing = Integer.numberOfTrailingZeros(~seen & ALL_RECORD_KEYS);
        throw new DecodeException(Reason.MISSING_FIELD,
            where + ": field " + missing + " (" + recordKeyName(missing) + ") is missing");
      }
      try {
        return SignedRecord.of(
            NodeId.of(key), PublicKey.of(publisher), (int) kindNumber, seq, expires, payload, signature);
      } catch (IllegalArgumentException e) {
        throw bad(where, e.getMessage());
      }
    }

    private List<SignedRecord> readRecords(String where) throws CborException, DecodeException {
      int count = readArray(where);
      if (count > MAX_RECORDS) {
        throw bad(where, "more than " + MAX_RECORDS + " records");
      }
      List<SignedRecord> records = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        records.add(readRecord(where + "[" + i + "]"));
      }
      return records;
    }

    private List<NodeInfo> readNodes(String where) throws CborException, DecodeException {
      int count = readArray(where);
      if (count > MAX_NODES) {
        throw bad(where, "more than " + MAX_NODES + " nodes");
      }
      List<NodeInfo> nodes = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String w = where + "[" + i + "]";
        int elements = readArray(w);
        if (elements != 3) {
          throw bad(w, "a node entry is [id, ip, port], got " + elements + " elements");
        }
        NodeId id = NodeId.of(readBytes(w + " id", NodeId.BYTES, NodeId.BYTES));
        nodes.add(new NodeInfo(id, readAddress(w)));
      }
      return nodes;
    }

    private PeerAddress readObserved(String where) throws CborException, DecodeException {
      int elements = readArray(where);
      if (elements != 2) {
        throw bad(where, "an address is [ip, port], got " + elements + " elements");
      }
      return readAddress(where);
    }

    /** Reads {@code ip, port}, the last two elements of the array they are in. */
    private PeerAddress readAddress(String where) throws CborException, DecodeException {
      byte[] ip = readBytes(where + " ip", 0, Integer.MAX_VALUE);
      if (ip.length != 4 && ip.length != 16) {
        throw bad(where + " ip", "expected 4 or 16 bytes, got " + ip.length);
      }
      int port = (int) readUint(where + " port", 65535);
      return PeerAddress.of(ip, port);
    }

    private int readArray(String where) throws CborException, DecodeException {
      Kind kind = cbor.peek();
      if (kind != Kind.ARRAY) {
        throw bad(where, "expected an array, got " + name(kind));
      }
      return cbor.readArray();
    }

    private byte[] readBytes(String where, int min, int max) throws CborException, DecodeException {
      Kind kind = cbor.peek();
      if (kind != Kind.BYTES) {
        throw bad(where, "expected a byte string, got " + name(kind));
      }
      byte[] bytes = cbor.readBytes();
      if (bytes.length < min || bytes.length > max) {
        throw bad(where, (min == max ? "expected " + min : "expected " + min + ".." + max)
            + " bytes, got " + bytes.length);
      }
      return bytes;
    }

    /** An unsigned integer as 64 unsigned bits; the caller checks the range. */
    private long unsignedOrFail(String where) throws CborException, DecodeException {
      Kind kind = cbor.peek();
      if (kind != Kind.UNSIGNED) {
        throw bad(where, "expected an unsigned integer, got " + name(kind));
      }
      return cbor.readUnsigned();
    }

    private long readUint(String where, long max) throws CborException, DecodeException {
      long value = unsignedOrFail(where);
      if (value < 0 || value > max) {
        throw bad(where, "expected at most " + max + ", got " + Long.toUnsignedString(value));
      }
      return value;
    }

    /** A signed 64-bit integer, written as CBOR major type 0 or 1. */
    private long readLong(String where) throws CborException, DecodeException {
      Kind kind = cbor.peek();
      if (kind == Kind.UNSIGNED) {
        long value = cbor.readUnsigned();
        if (value < 0) {
          throw bad(where, Long.toUnsignedString(value) + " is outside the signed 64-bit range");
        }
        return value;
      }
      if (kind == Kind.NEGATIVE) {
        long n = cbor.readNegative();
        if (n < 0) {
          throw bad(where, "-1 - " + Long.toUnsignedString(n) + " is outside the signed 64-bit range");
        }
        return -1 - n;
      }
      throw bad(where, "expected an integer, got " + name(kind));
    }

    private boolean readBool(String where) throws CborException, DecodeException {
      Kind kind = cbor.peek();
      if (kind != Kind.BOOLEAN) {
        throw bad(where, "expected true or false, got " + name(kind));
      }
      return cbor.readBoolean();
    }

    private String readText(String where, int maxChars) throws CborException, DecodeException {
      Kind kind = cbor.peek();
      if (kind != Kind.TEXT) {
        throw bad(where, "expected a text string, got " + name(kind));
      }
      String text;
      try {
        text = cbor.readText();
      } catch (CborException e) {
        throw new DecodeException(Reason.MALFORMED, where + ": not valid UTF-8", e);
      }
      if (text.length() > maxChars) {
        throw bad(where, "at most " + maxChars + " characters, got " + text.length());
      }
      return text;
    }

    /** Names a field for messages; the names of keys 3 and 6 depend on the type, when it has been read already. */
    private static String where(int key, MessageType type) {
      return "field " + key + " (" + (type == null ? messageKeyName(key) : type.fieldName(key)) + ")";
    }

    private static DecodeException bad(String where, String what) {
      return new DecodeException(Reason.BAD_FIELD, where + ": " + what);
    }
  }
}
