package org.dialtone.dht.wire;

import static org.dialtone.dht.wire.MessageCodec.FACTORY;
import static org.dialtone.dht.wire.MessageCodec.MAX_NODES;
import static org.dialtone.dht.wire.MessageCodec.MAX_RECORDS;
import static org.dialtone.dht.wire.MessageCodec.MAX_TOKEN_BYTES;
import static org.dialtone.dht.wire.WireKeys.*;

import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.wire.DecodeException.Reason;

/**
 * The decoding half of {@link MessageCodec}: reads one message or record map, checking every field's CBOR type, size
 * and range as it is read and the required keys of the {@link MessageType} once the map is complete. Throws only
 * {@link DecodeException}.
 */
final class MessageReader {
  private static final String[] MAJOR_TYPE_NAMES = {
    "an unsigned integer", "a negative integer", "a byte string", "a text string", "an array", "a map",
    "a tagged value", "a float or simple value"
  };

  private static final byte[] NO_BYTES = new byte[0];

  private MessageReader() {}

  static Message decodeMessage(byte[] datagram) throws DecodeException {
    return parse(datagram, r -> {
      Fields fields = r.readMessage();
      r.expectEnd();
      return Reader.build(fields);
    });
  }

  static SignedRecord decodeRecord(byte[] bytes) throws DecodeException {
    return parse(bytes, r -> {
      SignedRecord record = r.readRecord("record");
      r.expectEnd();
      return record;
    });
  }

  /** What to read from a whole input, ending with {@link Reader#expectEnd()}. */
  private interface Body<T> {
    T read(Reader r) throws IOException, DecodeException;
  }

  private static <T> T parse(byte[] bytes, Body<T> body) throws DecodeException {
    if (bytes.length == 0) {
      throw new DecodeException(Reason.MALFORMED, "empty input");
    }
    try (CBORParser p = FACTORY.createParser(bytes)) {
      Reader r = new Reader(p, bytes);
      r.next();
      return body.read(r);
    } catch (DecodeException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw new DecodeException(Reason.MALFORMED, "not valid CBOR: " + e.getOriginalMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new DecodeException(Reason.MALFORMED, "undecodable: " + e, e);
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
    ErrorCode errorCode;
    String errorMessage = "";

    boolean has(int key) {
      return (seen & (1 << key)) != 0;
    }
  }

  /** A pull reader over one input; every read method works on the current token. */
  private static final class Reader {
    private final CBORParser p;
    private final byte[] in;

    Reader(CBORParser p, byte[] in) {
      this.p = p;
      this.in = in;
    }

    /** Advances to the next token; running out of input here means the input was cut short. */
    JsonToken next() throws IOException, DecodeException {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new DecodeException(Reason.MALFORMED, "unexpected end of input at byte " + in.length);
      }
      return t;
    }

    void expectEnd() throws IOException, DecodeException {
      if (p.nextToken() != null) {
        throw new DecodeException(Reason.MALFORMED,
            "trailing bytes after the map, from byte " + p.currentTokenLocation().getByteOffset());
      }
    }

    /** The CBOR major type (0..7) of the data item the current token starts at. */
    private int major() {
      long offset = p.currentTokenLocation().getByteOffset();
      return offset >= 0 && offset < in.length ? (in[(int) offset] & 0xff) >>> 5 : -1;
    }

    private String found() {
      int major = major();
      return major < 0 ? "nothing" : MAJOR_TYPE_NAMES[major];
    }

    /** Reads the top-level map; the version and type are checked as soon as they are read. */
    Fields readMessage() throws IOException, DecodeException {
      if (p.currentToken() != JsonToken.START_OBJECT || major() != 5) {
        throw new DecodeException(Reason.MALFORMED, "a message is a CBOR map, got " + found());
      }
      Fields f = new Fields();
      while (next() != JsonToken.END_OBJECT) {
        int key = key(K_MAX);
        next();
        if (key < 0) {
          skipValue();
          continue;
        }
        if (f.has(key)) {
          throw new DecodeException(Reason.MALFORMED, "duplicate key " + key);
        }
        f.seen |= 1 << key;
        readField(key, f);
      }
      return f;
    }

    /**
     * The integer key of the current FIELD_NAME token: 0..maxKnown for a known key, -1 for an unknown integer key.
     */
    private int key(int maxKnown) throws IOException, DecodeException {
      int major = major();
      if (major != 0 && major != 1) {
        throw new DecodeException(Reason.MALFORMED, "map keys must be integers, got " + found());
      }
      String name = p.currentName();
      if (major == 1 || name == null || name.length() > 2) {
        return -1;
      }
      try {
        int key = Integer.parseInt(name);
        return key >= 0 && key <= maxKnown ? key : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    /** Skips the value at the current token, nested arrays and maps included. */
    private void skipValue() throws IOException, DecodeException {
      JsonToken t = p.currentToken();
      if (t != JsonToken.START_ARRAY && t != JsonToken.START_OBJECT) {
        return;
      }
      int depth = 1;
      while (depth > 0) {
        t = next();
        if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
          depth++;
        } else if (t == JsonToken.END_ARRAY || t == JsonToken.END_OBJECT) {
          depth--;
        }
      }
    }

    private void readField(int key, Fields f) throws IOException, DecodeException {
      String where = where(key, f.type);
      switch (key) {
        case K_VERSION -> {
          if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || major() != 0) {
            throw bad(where, "expected an unsigned integer, got " + found());
          }
          if (p.getNumberType() == NumberType.BIG_INTEGER || p.getLongValue() != Message.VERSION) {
            throw new DecodeException(Reason.UNSUPPORTED_VERSION,
                "protocol version " + p.getText() + ", only version " + Message.VERSION + " is spoken here");
          }
        }
        case K_TYPE -> {
          if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || major() != 0) {
            throw bad(where, "expected an unsigned integer, got " + found());
          }
          Optional<MessageType> type = p.getNumberType() == NumberType.BIG_INTEGER
              ? Optional.empty() : MessageType.ofWire(p.getLongValue());
          if (type.isEmpty()) {
            throw new DecodeException(Reason.UNKNOWN_TYPE, "unknown message type " + p.getText());
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
        default -> throw new IllegalStateException("no reader for key " + key);
      }
    }

    /** The message the fields make, once the whole input has been read. */
    static Message build(Fields f) throws DecodeException {
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
        case FIND_NODE -> new Message.FindNode(f.txId, sender, challenge, f.target);
        case FIND_VALUE -> new Message.FindValue(f.txId, sender, challenge, f.target, f.offset, f.wantNodes);
        case STORE -> new Message.Store(f.txId, sender, f.token, f.record);
        case SUBSCRIBE -> new Message.Subscribe(f.txId, sender, f.target, f.token, f.ttl);
        case NOTIFY -> new Message.Notify(f.txId, f.publicKey, f.record);
        case PONG -> new Message.Pong(f.txId, f.publicKey, signature, f.observed);
        case NODES -> new Message.Nodes(f.txId, f.publicKey, signature, f.nodes, f.token);
        case VALUES -> new Message.Values(
            f.txId, f.publicKey, signature, f.nodes, f.token, f.records, f.offset, f.total);
        case STORE_ACK -> new Message.StoreAck(f.txId, f.publicKey, signature);
        case SUBSCRIBED -> new Message.Subscribed(f.txId, f.publicKey, f.ttl);
        case NOTIFY_ACK -> new Message.NotifyAck(f.txId, f.publicKey);
        case ERROR -> new Message.ErrorReply(f.txId, f.publicKey, signature, f.errorCode, f.errorMessage);
      };
    }

    private static void require(Fields f, int key, String type, String name) throws DecodeException {
      if (!f.has(key)) {
        throw new DecodeException(Reason.MISSING_FIELD, type + ": field " + key + " (" + name + ") is missing");
      }
    }

    SignedRecord readRecord(String where) throws IOException, DecodeException {
      if (p.currentToken() != JsonToken.START_OBJECT || major() != 5) {
        throw bad(where, "a record is a map, got " + found());
      }
      int seen = 0;
      byte[] key = null;
      byte[] publisher = null;
      long kind = 0;
      long seq = 0;
      long expires = 0;
      byte[] payload = null;
      byte[] signature = null;
      while (next() != JsonToken.END_OBJECT) {
        int k = key(R_SIGNATURE);
        next();
        if (k < 0) {
          skipValue();
          continue;
        }
        if ((seen & (1 << k)) != 0) {
          throw new DecodeException(Reason.MALFORMED, where + ": duplicate key " + k);
        }
        seen |= 1 << k;
        String w = where + " > field " + k + " (" + recordKeyName(k) + ")";
        switch (k) {
          case R_KEY -> key = readBytes(w, NodeId.BYTES, NodeId.BYTES);
          case R_PUBLISHER -> publisher = readBytes(w, PublicKey.BYTES, PublicKey.BYTES);
          case R_KIND -> kind = readUint(w, SignedRecord.MAX_KIND);
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
            NodeId.of(key), PublicKey.of(publisher), (int) kind, seq, expires, payload, signature);
      } catch (IllegalArgumentException e) {
        throw bad(where, e.getMessage());
      }
    }

    private List<SignedRecord> readRecords(String where) throws IOException, DecodeException {
      expectArray(where);
      List<SignedRecord> records = new ArrayList<>();
      while (next() != JsonToken.END_ARRAY) {
        if (records.size() == MAX_RECORDS) {
          throw bad(where, "more than " + MAX_RECORDS + " records");
        }
        records.add(readRecord(where + "[" + records.size() + "]"));
      }
      return records;
    }

    private List<NodeInfo> readNodes(String where) throws IOException, DecodeException {
      expectArray(where);
      List<NodeInfo> nodes = new ArrayList<>();
      while (next() != JsonToken.END_ARRAY) {
        if (nodes.size() == MAX_NODES) {
          throw bad(where, "more than " + MAX_NODES + " nodes");
        }
        String w = where + "[" + nodes.size() + "]";
        expectArray(w);
        next();
        NodeId id = NodeId.of(readBytes(w + " id", NodeId.BYTES, NodeId.BYTES));
        nodes.add(new NodeInfo(id, readAddress(w)));
      }
      return nodes;
    }

    private PeerAddress readObserved(String where) throws IOException, DecodeException {
      expectArray(where);
      return readAddress(where);
    }

    /** Reads {@code ip, port} and the end of the array they close. */
    private PeerAddress readAddress(String where) throws IOException, DecodeException {
      next();
      byte[] ip = readBytes(where + " ip", 0, Integer.MAX_VALUE);
      if (ip.length != 4 && ip.length != 16) {
        throw bad(where + " ip", "expected 4 or 16 bytes, got " + ip.length);
      }
      next();
      int port = (int) readUint(where + " port", 65535);
      if (next() != JsonToken.END_ARRAY) {
        throw bad(where, "too many elements");
      }
      return PeerAddress.of(ip, port);
    }

    private void expectArray(String where) throws DecodeException {
      if (p.currentToken() != JsonToken.START_ARRAY || major() != 4) {
        throw bad(where, "expected an array, got " + found());
      }
    }

    private byte[] readBytes(String where, int min, int max) throws IOException, DecodeException {
      if (p.currentToken() != JsonToken.VALUE_EMBEDDED_OBJECT || major() != 2) {
        throw bad(where, "expected a byte string, got " + found());
      }
      byte[] bytes = p.getBinaryValue();
      if (bytes.length < min || bytes.length > max) {
        throw bad(where, (min == max ? "expected " + min : "expected " + min + ".." + max)
            + " bytes, got " + bytes.length);
      }
      return bytes.length == 0 ? NO_BYTES : bytes;
    }

    private long readUint(String where, long max) throws IOException, DecodeException {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || major() != 0) {
        throw bad(where, "expected an unsigned integer, got " + found());
      }
      if (p.getNumberType() == NumberType.BIG_INTEGER || p.getLongValue() > max) {
        throw bad(where, "expected at most " + max + ", got " + p.getText());
      }
      return p.getLongValue();
    }

    private long readLong(String where) throws IOException, DecodeException {
      int major = major();
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || (major != 0 && major != 1)) {
        throw bad(where, "expected an integer, got " + found());
      }
      if (p.getNumberType() == NumberType.BIG_INTEGER) {
        throw bad(where, p.getText() + " is outside the signed 64-bit range");
      }
      return p.getLongValue();
    }

    private boolean readBool(String where) throws DecodeException {
      JsonToken t = p.currentToken();
      if ((t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) || major() != 7) {
        throw bad(where, "expected true or false, got " + found());
      }
      return t == JsonToken.VALUE_TRUE;
    }

    /**
     * Reads the text string at the current token from the input bytes, strictly: Jackson's own UTF-8 decoding lets
     * overlong forms and encoded surrogates through. Each chunk of an indefinite-length string must be valid UTF-8 on
     * its own, as RFC 8949 requires.
     */
    private String readText(String where, int maxChars) throws DecodeException {
      if (p.currentToken() != JsonToken.VALUE_STRING || major() != 3) {
        throw bad(where, "expected a text string, got " + found());
      }
      int at = (int) p.currentTokenLocation().getByteOffset();
      StringBuilder text = new StringBuilder();
      if ((in[at] & 0x1f) == 31) {
        at++;
        while (at < in.length && (in[at] & 0xff) != 0xff) {
          if ((in[at] & 0xff) >>> 5 != 3 || (in[at] & 0x1f) == 31) {
            throw new DecodeException(Reason.MALFORMED, where + ": a text chunk must be a definite-length text string");
          }
          at = appendUtf8(where, at, text);
        }
      } else {
        appendUtf8(where, at, text);
      }
      if (text.length() > maxChars) {
        throw bad(where, "at most " + maxChars + " characters, got " + text.length());
      }
      return text.toString();
    }

    /** Decodes the definite-length text string whose head is at {@code at}; returns the offset after it. */
    private int appendUtf8(String where, int at, StringBuilder out) throws DecodeException {
      int info = in[at] & 0x1f;
      int headBytes = info < 24 ? 0 : info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : -1;
      if (headBytes < 0 || at + 1 + headBytes > in.length) {
        throw new DecodeException(Reason.MALFORMED, where + ": bad text string head");
      }
      long length = info < 24 ? info : 0;
      for (int i = 1; i <= headBytes; i++) {
        length = (length << 8) | (in[at + i] & 0xff);
      }
      int start = at + 1 + headBytes;
      if (length < 0 || length > in.length - start) {
        throw new DecodeException(Reason.MALFORMED, where + ": text string runs past the end of the input");
      }
      try {
        out.append(StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(in, start, (int) length)));
      } catch (CharacterCodingException e) {
        throw new DecodeException(Reason.MALFORMED, where + ": not valid UTF-8", e);
      }
      return start + (int) length;
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
