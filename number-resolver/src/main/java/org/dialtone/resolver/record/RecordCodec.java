package org.dialtone.resolver.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.resolver.number.DialNumber;

/**
 * Payloads of the resolver's records: CBOR on the wire (inside the DHT's signed envelope), JSON for people.
 *
 * <p>Decoding is strict about meaning and lenient about form: unknown fields are ignored (newer agents may add
 * some), but every value must pass the same checks as a value made locally, the kind must match, and the envelope's
 * signature must verify. A record that fails is not an error to the caller; it is simply not believed.
 */
public final class RecordCodec {
  /** The largest payload the DHT carries. */
  public static final int MAX_PAYLOAD_BYTES = SignedRecord.MAX_PAYLOAD_BYTES;

  private static final CBORMapper CBOR = CBORMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private RecordCodec() {}

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  static final class AgentPayload {
    public String name;
    public String number;
    public String role;
    public List<String> services = List.of();
    public List<String> interests = List.of();
    public List<String> endpoints = List.of();
    public List<String> numbers = List.of();
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  static final class SharePayload {
    public String number;
    public String note;
    public List<String> interests = List.of();
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  static final class ShareListPayload {
    public String name;
    public String from;
    public List<SharePayload> shares = List.of();
  }

  /**
   * The CBOR payload of an agent record.
   *
   * @throws IllegalArgumentException when it encodes to more than {@value #MAX_PAYLOAD_BYTES} bytes
   */
  public static byte[] encodeAgent(AgentInfo info) {
    AgentPayload p = new AgentPayload();
    p.name = info.name();
    p.number = info.number().toString();
    p.role = info.role().name();
    p.services = info.services();
    p.interests = info.interests();
    p.endpoints = info.endpoints();
    p.numbers = info.numbers().stream().map(DialNumber::toString).toList();
    return bounded(write(p));
  }

  /** The CBOR payload of a share list (same size rule). */
  public static byte[] encodeShares(ShareList list) {
    ShareListPayload p = new ShareListPayload();
    p.name = list.name();
    p.from = list.fromNumber().toString();
    List<SharePayload> shares = new ArrayList<>();
    for (Share s : list.shares()) {
      SharePayload sp = new SharePayload();
      sp.number = s.number().toString();
      sp.note = s.note();
      sp.interests = s.interests();
      shares.add(sp);
    }
    p.shares = shares;
    return bounded(write(p));
  }

  /**
   * The agent described by {@code record}, if it is an agent record (presence, host, left, interest, service or
   * agent directory) whose signature verifies and whose payload is valid.
   */
  public static Optional<AgentInfo> decodeAgent(SignedRecord record) {
    Optional<RecordKind> kind = RecordKind.of(record.kind());
    if (kind.isEmpty() || kind.get() == RecordKind.SHARES || !record.hasValidSignature()) {
      return Optional.empty();
    }
    try {
      AgentPayload p = CBOR.readValue(record.payload(), AgentPayload.class);
      List<DialNumber> numbers = new ArrayList<>();
      for (String n : nonNull(p.numbers)) {
        numbers.add(DialNumber.parse(n));
      }
      // Empty strings and lists are left out of the encoding, so absent means empty.
      return Optional.of(new AgentInfo(record.publisher(), orEmpty(p.name), DialNumber.parse(nonNull(p.number)),
          Role.valueOf(nonNull(p.role)), nonNull(p.services), nonNull(p.interests), nonNull(p.endpoints), numbers,
          record.seq(), record.expiresAtSeconds()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not believed: malformed, or a value outside the rules
    }
  }

  /** The share list in {@code record}, if it is a SHARES record whose signature verifies and payload is valid. */
  public static Optional<ShareList> decodeShares(SignedRecord record) {
    if (record.kind() != RecordKind.SHARES.code() || !record.hasValidSignature()) {
      return Optional.empty();
    }
    try {
      ShareListPayload p = CBOR.readValue(record.payload(), ShareListPayload.class);
      List<Share> shares = new ArrayList<>();
      for (SharePayload s : nonNull(p.shares)) {
        shares.add(new Share(DialNumber.parse(nonNull(s.number)), orEmpty(s.note), nonNull(s.interests)));
      }
      return Optional.of(new ShareList(record.publisher(), orEmpty(p.name), DialNumber.parse(nonNull(p.from)),
          shares, record.seq()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * A record as JSON for people: the envelope's fields, the payload (base64, exactly as signed) and, when it
   * decodes, the payload's meaning under {@code info} or {@code shares}.
   */
  public static String toJson(SignedRecord record) {
    ObjectNode o = JSON.createObjectNode();
    o.put("key", record.key().toHex());
    Optional<RecordKind> kind = RecordKind.of(record.kind());
    o.put("kind", kind.map(Enum::name).orElse(Integer.toString(record.kind())));
    kind.ifPresent(k -> o.put("type", k.gossipType().name()));
    o.put("publisher", record.publisher().toHex());
    o.put("seq", record.seq());
    o.put("expiresAt", record.expiresAtSeconds());
    o.put("payload", Base64.getEncoder().encodeToString(record.payload()));
    o.put("signature", HexFormat.of().formatHex(record.signature()));
    decodeAgent(record).ifPresent(a -> o.set("info", agentJson(a)));
    decodeShares(record).ifPresent(s -> o.set("shares", JSON.valueToTree(s.shares().stream()
        .map(sh -> new Object[] {sh.number().toString(), sh.note(), sh.interests()}).toList())));
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory cannot fail", e);
    }
  }

  /**
   * The record written by {@link #toJson}. Only the envelope fields and the base64 payload are read; the decoded
   * parts are for people and are ignored. The result still has to verify before anyone believes it.
   */
  public static SignedRecord fromJson(String json) {
    try {
      JsonNode o = JSON.readTree(json);
      int kind = RecordKind.valueOf(text(o, "kind")).code();
      return SignedRecord.of(NodeId.ofHex(text(o, "key")), PublicKey.ofHex(text(o, "publisher")), kind,
          o.path("seq").asLong(-1), o.path("expiresAt").asLong(-1),
          Base64.getDecoder().decode(text(o, "payload")), HexFormat.of().parseHex(text(o, "signature")));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a record in JSON: " + e.getMessage(), e);
    }
  }

  /** An agent's facts as a JSON object, for people and the HTTP gateway. */
  public static ObjectNode agentJson(AgentInfo a) {
    ObjectNode o = JSON.createObjectNode();
    o.put("agent", a.agent().toHex());
    o.put("name", a.name());
    o.put("number", a.number().toString());
    o.put("role", a.role().name().toLowerCase());
    o.set("services", JSON.valueToTree(a.services()));
    o.set("interests", JSON.valueToTree(a.interests()));
    o.set("endpoints", JSON.valueToTree(a.endpoints()));
    o.set("numbers", JSON.valueToTree(a.numbers().stream().map(DialNumber::toString).toList()));
    o.put("seq", a.seq());
    o.put("expiresAt", a.expiresAtSeconds());
    return o;
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not text");
    }
    return v.asText();
  }

  private static byte[] write(Object payload) {
    try {
      return CBOR.writeValueAsBytes(payload);
    } catch (IOException e) {
      throw new IllegalStateException("writing CBOR to memory cannot fail", e);
    }
  }

  private static byte[] bounded(byte[] payload) {
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "the record payload is " + payload.length + " bytes, at most " + MAX_PAYLOAD_BYTES + " fit");
    }
    return payload;
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  private static <T> T nonNull(T value) {
    if (value == null) {
      throw new IllegalArgumentException("a required field is missing");
    }
    return value;
  }
}
