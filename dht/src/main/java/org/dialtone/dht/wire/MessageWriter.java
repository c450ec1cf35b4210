package org.dialtone.dht.wire;

import static org.dialtone.dht.wire.MessageCodec.FACTORY;
import static org.dialtone.dht.wire.MessageCodec.MAX_NODES;
import static org.dialtone.dht.wire.MessageCodec.MAX_RECORDS;
import static org.dialtone.dht.wire.MessageCodec.MAX_TOKEN_BYTES;
import static org.dialtone.dht.wire.WireKeys.*;

import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.record.SignedRecord;

/**
 * The encoding half of {@link MessageCodec}: a message map's common fields, then each type's own through the message
 * families' visitors, collected in a {@link MapWriter} whose size is its entry count. Trusts its input, but refuses
 * (with {@link IllegalArgumentException}) a field the protocol cannot carry.
 */
final class MessageWriter {
  private MessageWriter() {}

  static byte[] encodeRecord(SignedRecord record) {
    Objects.requireNonNull(record, "record");
    ByteArrayOutputStream out = new ByteArrayOutputStream(record.payloadLength() + 192);
    try (CBORGenerator g = FACTORY.createGenerator(out)) {
      writeRecord(g, record);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  static byte[] encodeUnchecked(Message message) {
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
    MapWriter map = new MapWriter();
    map.uint(K_VERSION, Message.VERSION);
    map.uint(K_TYPE, m.type().wireCode());
    map.integer(K_TX_ID, m.txId());
    if (m instanceof Message.Request req) {
      req.challenge().ifPresent(c -> checkSize(c, Message.CHALLENGE_BYTES, "challenge"));
      req.sender().ifPresent(k -> map.bytes(K_PUBLIC_KEY, k.toBytes()));
      req.challenge().ifPresent(c -> map.bytes(K_CHALLENGE, c.unsafeArray()));
      req.accept(new RequestFields(map));
    } else if (m instanceof Message.Response res) {
      res.challengeSignature().ifPresent(s -> checkSize(s, Identity.SIGNATURE_BYTES, "challenge signature"));
      map.bytes(K_PUBLIC_KEY, res.responder().toBytes());
      res.challengeSignature().ifPresent(s -> map.bytes(K_CHALLENGE_SIGNATURE, s.unsafeArray()));
      res.accept(new ResponseFields(map));
    }
    map.writeTo(g);
  }

  /**
   * The entries of one message map, in the order they are written; the map's size is their count, so it cannot
   * disagree with them.
   */
  private static final class MapWriter {
    private interface Value {
      void write(CBORGenerator g) throws IOException;
    }

    private final List<Integer> keys = new ArrayList<>();
    private final List<Value> values = new ArrayList<>();

    void put(int key, Value value) {
      keys.add(key);
      values.add(value);
    }

    void uint(int key, long value) {
      put(key, g -> g.writeNumber(value));
    }

    void integer(int key, long value) {
      put(key, g -> g.writeNumber(value));
    }

    void bytes(int key, byte[] bytes) {
      put(key, g -> g.writeBinary(bytes));
    }

    void writeTo(CBORGenerator g) throws IOException {
      g.writeStartObject(null, keys.size());
      for (int i = 0; i < keys.size(); i++) {
        g.writeFieldId(keys.get(i));
        values.get(i).write(g);
      }
      g.writeEndObject();
    }
  }

  /** The fields of each request type after the common ones (version, type, txId, sender, challenge). */
  private static final class RequestFields implements Message.Request.Visitor<Void> {
    private final MapWriter map;

    RequestFields(MapWriter map) {
      this.map = map;
    }

    @Override
    public Void ping(Message.Ping m) {
      return null;
    }

    @Override
    public Void findNode(Message.FindNode m) {
      map.bytes(K_TARGET, m.target().toBytes());
      return null;
    }

    @Override
    public Void findValue(Message.FindValue m) {
      map.bytes(K_TARGET, m.key().toBytes());
      map.uint(K_OFFSET, m.offset());
      map.put(K_WANT_NODES, g -> g.writeBoolean(m.wantNodes()));
      return null;
    }

    @Override
    public Void store(Message.Store m) {
      checkToken(m.token());
      map.bytes(K_TOKEN, m.token().unsafeArray());
      map.put(K_RECORD, g -> writeRecord(g, m.record()));
      return null;
    }

    @Override
    public Void subscribe(Message.Subscribe m) {
      checkToken(m.token());
      map.bytes(K_TARGET, m.key().toBytes());
      map.bytes(K_TOKEN, m.token().unsafeArray());
      map.uint(K_TTL, m.ttlSeconds());
      return null;
    }

    @Override
    public Void notify(Message.Notify m) {
      map.put(K_RECORD, g -> writeRecord(g, m.record()));
      return null;
    }
  }

  /** The fields of each response type after the common ones (version, type, txId, responder, signature). */
  private static final class ResponseFields implements Message.Response.Visitor<Void> {
    private final MapWriter map;

    ResponseFields(MapWriter map) {
      this.map = map;
    }

    @Override
    public Void pong(Message.Pong m) {
      map.put(K_OBSERVED, g -> {
        g.writeStartArray(null, 2);
        g.writeBinary(m.observed().ipBytes());
        g.writeNumber(m.observed().port());
        g.writeEndArray();
      });
      return null;
    }

    @Override
    public Void nodes(Message.Nodes m) {
      checkNodes(m.nodes());
      checkToken(m.token());
      nodeList(m.nodes());
      map.bytes(K_TOKEN, m.token().unsafeArray());
      return null;
    }

    @Override
    public Void values(Message.Values m) {
      checkNodes(m.nodes());
      checkToken(m.token());
      if (m.records().size() > MAX_RECORDS) {
        throw new IllegalArgumentException(
            "at most " + MAX_RECORDS + " records fit a reply, got " + m.records().size());
      }
      nodeList(m.nodes());
      map.bytes(K_TOKEN, m.token().unsafeArray());
      if (!m.records().isEmpty()) {
        map.put(K_RECORDS, g -> {
          g.writeStartArray(null, m.records().size());
          for (SignedRecord r : m.records()) {
            writeRecord(g, r);
          }
          g.writeEndArray();
        });
      }
      map.uint(K_TOTAL, m.total());
      map.uint(K_OFFSET, m.offset());
      return null;
    }

    @Override
    public Void storeAck(Message.StoreAck m) {
      return null;
    }

    @Override
    public Void subscribed(Message.Subscribed m) {
      map.uint(K_TTL, m.ttlSeconds());
      return null;
    }

    @Override
    public Void notifyAck(Message.NotifyAck m) {
      return null;
    }

    @Override
    public Void error(Message.ErrorReply m) {
      String text = wellFormed(m.message());
      map.uint(K_ERROR_CODE, m.code().wireCode());
      if (!text.isEmpty()) {
        map.put(K_ERROR_MESSAGE, g -> g.writeString(text));
      }
      return null;
    }

    private void nodeList(List<NodeInfo> nodes) {
      if (!nodes.isEmpty()) {
        map.put(K_NODES, g -> writeNodes(g, nodes));
      }
    }
  }

  private static void writeNodes(CBORGenerator g, List<NodeInfo> nodes) throws IOException {
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
    g.writeStartObject(null, RECORD_KEYS);
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
}
