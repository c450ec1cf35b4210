package org.dialtone.dht.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * The binary encoding of {@link Message}s and {@link SignedRecord}s: one CBOR map with small integer keys per
 * datagram, as specified in {@code docs/protocol.md}.
 *
 * <p>Encoding trusts its input and fails with {@link IllegalArgumentException} on a message the protocol cannot carry
 * (a field of the wrong size, a list over its limit, a datagram over {@link Message#MAX_DATAGRAM_BYTES}). Decoding
 * trusts nothing: whatever the bytes, {@link #decode} either returns a message whose every field is in range or throws
 * {@link DecodeException}; it never throws anything else, so it is safe to call on the event loop.
 *
 * <p>Thread-safe: all methods are static and share one immutable {@link CBORFactory}.
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

  // Message types.
  static final int PING = 1;
  static final int PONG = 2;
  static final int FIND_NODE = 3;
  static final int NODES = 4;
  static final int FIND_VALUE = 5;
  static final int VALUES = 6;
  static final int STORE = 7;
  static final int STORE_ACK = 8;
  static final int ERROR = 9;
  static final int SUBSCRIBE = 10;
  static final int SUBSCRIBED = 11;
  static final int NOTIFY = 12;
  static final int NOTIFY_ACK = 13;
  private static final String[] TYPE_NAMES = {
    null, "PING", "PONG", "FIND_NODE", "NODES", "FIND_VALUE", "VALUES", "STORE", "STORE_ACK", "ERROR", "SUBSCRIBE",
    "SUBSCRIBED", "NOTIFY", "NOTIFY_ACK"
  };

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
  private static final String[] KEY_NAMES = {
    "version", "type", "txId", "sender/responder", "challenge", "challenge signature", "target/key", "nodes", "token",
    "records", "total", "offset", "wantNodes", "observed", "error code", "error message", "record", "ttl"
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
  private static final int ALL_RECORD_KEYS = (1 << RECORD_KEY_NAMES.length) - 1;

  private static final String[] MAJOR_TYPE_NAMES = {
    "an unsigned integer", "a negative integer", "a byte string", "a text string", "an array", "a map",
    "a tagged value", "a float or simple value"
  };

  private static final byte[] NO_BYTES = new byte[0];

  private static final CBORFactory FACTORY = CBORFactory.builder()
      // Keys are tiny integers; a shared symbol table would only be state that hostile input could grow.
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build();

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
    byte[] bytes = encodeUnchecked(message);
    if (bytes.length > Message.MAX_DATAGRAM_BYTES) {
      throw new IllegalArgumentException(typeName(typeOf(message)) + " encodes to " + bytes.length
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
    return encodeUnchecked(message).length;
  }

  /**
   * The standalone encoding of a record (for persistence, or for other layers to carry): the same map that appears
   * inside STORE and VALUES messages.
   */
  public static byte[] encodeRecord(SignedRecord record) {
    Objects.requireNonNull(record, "record");
    ByteArrayOutputStream out = new ByteArrayOutputStream(record.payloadLength() + 192);
    try (CBORGenerator g = FACTORY.createGenerator(out)) {
      writeRecord(g, record);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  private static byte[] encodeUnchecked(Message message) {
    Objects.requireNonNull(message, "message");
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (CBORGenerator g = FACTORY.createGenerator(out)) {
      writeMessage(g, message);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  private static void writeMessage(CBORGenerator g, Message m) throws IOException {
    int type = typeOf(m);
    if (m instanceof Message.Request req) {
      Optional<Blob> challenge = req.challenge();
      challenge.ifPresent(c -> checkSize(c, Message.CHALLENGE_BYTES, "challenge"));
      int entries = 3 + (req.sender().isPresent() ? 1 : 0) + (challenge.isPresent() ? 1 : 0);
      if (m instanceof Message.Ping) {
        writeHeader(g, entries, type, m.txId());
        writeRequestKeys(g, req);
      } else if (m instanceof Message.FindNode f) {
        writeHeader(g, entries + 1, type, m.txId());
        writeRequestKeys(g, req);
        writeBytes(g, K_TARGET, f.target().toBytes());
      } else if (m instanceof Message.FindValue f) {
        writeHeader(g, entries + 3, type, m.txId());
        writeRequestKeys(g, req);
        writeBytes(g, K_TARGET, f.key().toBytes());
        g.writeFieldId(K_OFFSET);
        g.writeNumber(f.offset());
        g.writeFieldId(K_WANT_NODES);
        g.writeBoolean(f.wantNodes());
      } else if (m instanceof Message.Store s) {
        checkToken(s.token());
        writeHeader(g, entries + 2, type, m.txId());
        writeRequestKeys(g, req);
        writeBytes(g, K_TOKEN, s.token().unsafeArray());
        g.writeFieldId(K_RECORD);
        writeRecord(g, s.record());
      } else if (m instanceof Message.Subscribe s) {
        checkToken(s.token());
        writeHeader(g, entries + 3, type, m.txId());
        writeRequestKeys(g, req);
        writeBytes(g, K_TARGET, s.key().toBytes());
        writeBytes(g, K_TOKEN, s.token().unsafeArray());
        g.writeFieldId(K_TTL);
        g.writeNumber(s.ttlSeconds());
      } else {
        Message.Notify n = (Message.Notify) m;
        writeHeader(g, entries + 1, type, m.txId());
        writeRequestKeys(g, req);
        g.writeFieldId(K_RECORD);
        writeRecord(g, n.record());
      }
    } else {
      Message.Response res = (Message.Response) m;
      Optional<Blob> signature = res.challengeSignature();
      signature.ifPresent(s -> checkSize(s, Identity.SIGNATURE_BYTES, "challenge signature"));
      int entries = 4 + (signature.isPresent() ? 1 : 0);
      if (m instanceof Message.Pong p) {
        writeHeader(g, entries + 1, type, m.txId());
        writeResponseKeys(g, res);
        g.writeFieldId(K_OBSERVED);
        g.writeStartArray(null, 2);
        g.writeBinary(p.observed().ipBytes());
        g.writeNumber(p.observed().port());
        g.writeEndArray();
      } else if (m instanceof Message.Nodes n) {
        checkNodes(n.nodes());
        checkToken(n.token());
        writeHeader(g, entries + (n.nodes().isEmpty() ? 0 : 1) + 1, type, m.txId());
        writeResponseKeys(g, res);
        writeNodes(g, n.nodes());
        writeBytes(g, K_TOKEN, n.token().unsafeArray());
      } else if (m instanceof Message.Values v) {
        checkNodes(v.nodes());
        checkToken(v.token());
        if (v.records().size() > MAX_RECORDS) {
          throw new IllegalArgumentException(
              "at most " + MAX_RECORDS + " records fit a reply, got " + v.records().size());
        }
        int n = entries + (v.nodes().isEmpty() ? 0 : 1) + 1 + (v.records().isEmpty() ? 0 : 1) + 2;
        writeHeader(g, n, type, m.txId());
        writeResponseKeys(g, res);
        writeNodes(g, v.nodes());
        writeBytes(g, K_TOKEN, v.token().unsafeArray());
        if (!v.records().isEmpty()) {
          g.writeFieldId(K_RECORDS);
          g.writeStartArray(null, v.records().size());
          for (SignedRecord r : v.records()) {
            writeRecord(g, r);
          }
          g.writeEndArray();
        }
        g.writeFieldId(K_TOTAL);
        g.writeNumber(v.total());
        g.writeFieldId(K_OFFSET);
        g.writeNumber(v.offset());
      } else if (m instanceof Message.StoreAck || m instanceof Message.NotifyAck) {
        writeHeader(g, entries, type, m.txId());
        writeResponseKeys(g, res);
      } else if (m instanceof Message.Subscribed s) {
        writeHeader(g, entries + 1, type, m.txId());
        writeResponseKeys(g, res);
        g.writeFieldId(K_TTL);
        g.writeNumber(s.ttlSeconds());
      } else {
        Message.ErrorReply e = (Message.ErrorReply) m;
        String text = wellFormed(e.message());
        writeHeader(g, entries + 1 + (text.isEmpty() ? 0 : 1), type, m.txId());
        writeResponseKeys(g, res);
        g.writeFieldId(K_ERROR_CODE);
        g.writeNumber(e.code().wireCode());
        if (!text.isEmpty()) {
          g.writeFieldId(K_ERROR_MESSAGE);
          g.writeString(text);
        }
      }
    }
    g.writeEndObject();
  }

  private static void writeHeader(CBORGenerator g, int entries, int type, long txId) throws IOException {
    g.writeStartObject(null, entries);
    g.writeFieldId(K_VERSION);
    g.writeNumber(Message.VERSION);
    g.writeFieldId(K_TYPE);
    g.writeNumber(type);
    g.writeFieldId(K_TX_ID);
    g.writeNumber(txId);
  }

  private static void writeRequestKeys(CBORGenerator g, Message.Request req) throws IOException {
    if (req.sender().isPresent()) {
      writeBytes(g, K_PUBLIC_KEY, req.sender().get().toBytes());
    }
    if (req.challenge().isPresent()) {
      writeBytes(g, K_CHALLENGE, req.challenge().get().unsafeArray());
    }
  }

  private static void writeResponseKeys(CBORGenerator g, Message.Response res) throws IOException {
    writeBytes(g, K_PUBLIC_KEY, res.responder().toBytes());
    if (res.challengeSignature().isPresent()) {
      writeBytes(g, K_CHALLENGE_SIGNATURE, res.challengeSignature().get().unsafeArray());
    }
  }

  private static void writeNodes(CBORGenerator g, List<NodeInfo> nodes) throws IOException {
    if (nodes.isEmpty()) {
      return;
    }
    g.writeFieldId(K_NODES);
    g.writeStartArray(null, nodes.size());
    for (NodeInfo n : nodes) {
      g.writeStartArray(null, 3);
      g.writeBinary(n.id().toBytes());
      g.writeBinary(n.address().ipBytes());
      g.writeNumber(n.address().port());
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  private static void writeRecord(CBORGenerator g, SignedRecord r) throws IOException {
    g.writeStartObject(null, RECORD_KEY_NAMES.length);
    writeBytes(g, R_KEY, r.key().toBytes());
    writeBytes(g, R_PUBLISHER, r.publisher().toBytes());
    g.writeFieldId(R_KIND);
    g.writeNumber(r.kind());
    g.writeFieldId(R_SEQ);
    g.writeNumber(r.seq());
    g.writeFieldId(R_EXPIRES);
    g.writeNumber(r.expiresAtSeconds());
    writeBytes(g, R_PAYLOAD, r.payload());
    writeBytes(g, R_SIGNATURE, r.signature());
    g.writeEndObject();
  }

  private static void writeBytes(CBORGenerator g, int key, byte[] bytes) throws IOException {
    g.writeFieldId(key);
    g.writeBinary(bytes);
  }

  private static void checkSize(Blob blob, int size, String what) {
    if (blob.size() != size) {
      throw new IllegalArgumentException("a " + what + " is " + size + " bytes, got " + blob.size());
    }
  }

  private static void checkToken(Blob token) {
    if (token.size() > MAX_TOKEN_BYTES) {
      throw new IllegalArgumentException("a token is at most " + MAX_TOKEN_BYTES + " bytes, got " + token.size());
    }
  }

  private static void checkNodes(List<NodeInfo> nodes) {
    if (nodes.size() > MAX_NODES) {
      throw new IllegalArgumentException("at most " + MAX_NODES + " nodes fit a reply, got " + nodes.size());
    }
  }

  /** {@code text} with every unpaired surrogate replaced by U+FFFD, so that it has a UTF-8 encoding. */
  static String wellFormed(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired = Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(text.length()).append(text, 0, i);
        }
        out.append('\uFFFD');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  private static int typeOf(Message m) {
    if (m instanceof Message.Ping) {
      return PING;
    } else if (m instanceof Message.Pong) {
      return PONG;
    } else if (m instanceof Message.FindNode) {
      return FIND_NODE;
    } else if (m instanceof Message.Nodes) {
      return NODES;
    } else if (m instanceof Message.FindValue) {
      return FIND_VALUE;
    } else if (m instanceof Message.Values) {
      return VALUES;
    } else if (m instanceof Message.Store) {
      return STORE;
    } else if (m instanceof Message.StoreAck) {
      return STORE_ACK;
    } else if (m instanceof Message.Subscribe) {
      return SUBSCRIBE;
    } else if (m instanceof Message.Subscribed) {
      return SUBSCRIBED;
    } else if (m instanceof Message.Notify) {
      return NOTIFY;
    } else if (m instanceof Message.NotifyAck) {
      return NOTIFY_ACK;
    } else {
      return ERROR;
    }
  }

  private static String typeName(int type) {
    return TYPE_NAMES[type];
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
    return (Message) parse(datagram, true);
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
    return (SignedRecord) parse(bytes, false);
  }

  private static Object parse(byte[] bytes, boolean message) throws DecodeException {
    if (bytes.length == 0) {
      throw new DecodeException(Reason.MALFORMED, "empty input");
    }
    try (CBORParser p = FACTORY.createParser(bytes)) {
      Reader r = new Reader(p, bytes);
      r.next();
      if (message) {
        Fields fields = r.readMessage();
        r.expectEnd();
        return r.build(fields);
      }
      SignedRecord record = r.readRecord("record");
      r.expectEnd();
      return record;
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
    int type;
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
        int key = key(K_TTL);
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
          if (p.getNumberType() == NumberType.BIG_INTEGER || p.getLongValue() < PING || p.getLongValue() > NOTIFY_ACK) {
            throw new DecodeException(Reason.UNKNOWN_TYPE, "unknown message type " + p.getText());
          }
          f.type = p.getIntValue();
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
    Message build(Fields f) throws DecodeException {
      // The version and type were checked as they were read; here they only have to be present.
      require(f, K_VERSION, "message", "version");
      require(f, K_TYPE, "message", "type");
      String type = typeName(f.type);
      require(f, K_TX_ID, type, "txId");
      Optional<PublicKey> sender = Optional.ofNullable(f.publicKey);
      Optional<Blob> challenge = Optional.ofNullable(f.challenge);
      Optional<Blob> signature = Optional.ofNullable(f.challengeSignature);
      switch (f.type) {
        case PING:
          return new Message.Ping(f.txId, sender, challenge);
        case FIND_NODE:
          require(f, K_TARGET, type, "target");
          return new Message.FindNode(f.txId, sender, challenge, f.target);
        case FIND_VALUE:
          require(f, K_TARGET, type, "key");
          require(f, K_OFFSET, type, "offset");
          require(f, K_WANT_NODES, type, "wantNodes");
          return new Message.FindValue(f.txId, sender, challenge, f.target, f.offset, f.wantNodes);
        case STORE:
          require(f, K_TOKEN, type, "token");
          require(f, K_RECORD, type, "record");
          return new Message.Store(f.txId, sender, f.token, f.record);
        case SUBSCRIBE:
          require(f, K_TARGET, type, "key");
          require(f, K_TOKEN, type, "token");
          require(f, K_TTL, type, "ttl");
          return new Message.Subscribe(f.txId, sender, f.target, f.token, f.ttl);
        case NOTIFY:
          require(f, K_PUBLIC_KEY, type, "sender");
          require(f, K_RECORD, type, "record");
          return new Message.Notify(f.txId, f.publicKey, f.record);
        default:
          break;
      }
      require(f, K_PUBLIC_KEY, type, "responder");
      switch (f.type) {
        case PONG:
          require(f, K_OBSERVED, type, "observed");
          return new Message.Pong(f.txId, f.publicKey, signature, f.observed);
        case NODES:
          require(f, K_TOKEN, type, "token");
          return new Message.Nodes(f.txId, f.publicKey, signature, f.nodes, f.token);
        case VALUES:
          require(f, K_TOKEN, type, "token");
          require(f, K_TOTAL, type, "total");
          require(f, K_OFFSET, type, "offset");
          return new Message.Values(
              f.txId, f.publicKey, signature, f.nodes, f.token, f.records, f.offset, f.total);
        case STORE_ACK:
          return new Message.StoreAck(f.txId, f.publicKey, signature);
        case SUBSCRIBED:
          require(f, K_TTL, type, "ttl");
          return new Message.Subscribed(f.txId, f.publicKey, f.ttl);
        case NOTIFY_ACK:
          return new Message.NotifyAck(f.txId, f.publicKey);
        default:
          require(f, K_ERROR_CODE, type, "error code");
          return new Message.ErrorReply(f.txId, f.publicKey, signature, f.errorCode, f.errorMessage);
      }
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
        String w = where + " > field " + k + " (" + RECORD_KEY_NAMES[k] + ")";
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
            where + ": field " + missing + " (" + RECORD_KEY_NAMES[missing] + ") is missing");
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
    private static String where(int key, int type) {
      String name = KEY_NAMES[key];
      if (key == K_PUBLIC_KEY && type != 0) {
        name = type == PING || type == FIND_NODE || type == FIND_VALUE || type == STORE || type == SUBSCRIBE
            || type == NOTIFY ? "sender" : "responder";
      } else if (key == K_TARGET && type != 0) {
        name = type == FIND_VALUE || type == SUBSCRIBE ? "key" : "target";
      }
      return "field " + key + " (" + name + ")";
    }

    private static DecodeException bad(String where, String what) {
      return new DecodeException(Reason.BAD_FIELD, where + ": " + what);
    }
  }
}
