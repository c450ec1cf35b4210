package org.dialtone.dht.wire;

import static org.dialtone.dht.wire.MessageCodec.MAX_NODES;
import static org.dialtone.dht.wire.MessageCodec.MAX_RECORDS;
import static org.dialtone.dht.wire.MessageCodec.MAX_TOKEN_BYTES;
import static org.dialtone.dht.wire.WireKeys.*;

import java.util.List;
import java.util.Objects;
import org.dialtone.dht.codec.CborWriter;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.record.SignedRecord;

/**
 * The encoding half of {@link MessageCodec}: a message map's common fields, then each type's own through the message
 * families' visitors, written in ascending key order into a {@link MapWriter} whose size is its entry count. Trusts
 * its input, but refuses (with {@link IllegalArgumentException}) a field the protocol cannot carry.
 */
final class MessageWriter {
  private MessageWriter() {}

  static byte[] encodeRecord(SignedRecord record) {
    Objects.requireNonNull(record, "record");
    CborWriter w = new CborWriter(record.payloadLength() + 192);
    writeRecord(w, record);
    return w.toByteArray();
  }

  static byte[] encodeUnchecked(Message message) {
    Objects.requireNonNull(message, "message");
    CborWriter w = new CborWriter(256);
    writeMessage(w, message);
    return w.toByteArray();
  }

  private static void writeMessage(CborWriter w, Message m) {
    MapWriter map = new MapWriter(w);
    map.key(K_VERSION).integer(Message.VERSION);
    map.key(K_TYPE).integer(m.type().wireCode());
    map.key(K_TX_ID).integer(m.txId());
    if (m instanceof Message.Request req) {
      req.challenge().ifPresent(c -> checkSize(c, Message.CHALLENGE_BYTES, "challenge"));
      req.sender().ifPresent(k -> map.key(K_PUBLIC_KEY).bytes(k.toBytes()));
      req.challenge().ifPresent(c -> map.key(K_CHALLENGE).bytes(c.unsafeArray()));
      req.accept(new RequestFields(map));
    } else if (m instanceof Message.Response res) {
      res.challengeSignature().ifPresent(s -> checkSize(s, Identity.SIGNATURE_BYTES, "challenge signature"));
      map.key(K_PUBLIC_KEY).bytes(res.responder().toBytes());
      res.challengeSignature().ifPresent(s -> map.key(K_CHALLENGE_SIGNATURE).bytes(s.unsafeArray()));
      res.accept(new ResponseFields(map));
    }
    map.close();
  }

  /**
   * One message map being written: each {@link #key} is followed by its value, keys ascending (checked, so that the
   * encoding stays the deterministic one the decoder requires); {@link #close} fills in the entry count, so the size
   * cannot disagree with the entries. A message map has at most 18 entries, so its head is one byte.
   */
  private static final class MapWriter {
    private final CborWriter w;
    private final int head;
    private int entries;
    private int lastKey = -1;

    MapWriter(CborWriter w) {
      this.w = w;
      this.head = w.reserveMap();
    }

    /** Writes {@code key}; the caller writes its value next, on the writer returned. */
    CborWriter key(int key) {
      if (key <= lastKey) {
        throw new IllegalStateException("message keys are written in ascending order: " + key + " after " + lastKey);
      }
      lastKey = key;
      entries++;
      return w.integer(key);
    }

    void close() {
      w.fillMap(head, entries);
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
      map.key(K_TARGET).bytes(m.target().toBytes());
      if (m.offset() > 0) { // the first page's request is the version-1 FIND_NODE, byte for byte
        map.key(K_OFFSET).integer(m.offset());
      }
      return null;
    }

    @Override
    public Void findValue(Message.FindValue m) {
      map.key(K_TARGET).bytes(m.key().toBytes());
      map.key(K_OFFSET).integer(m.offset());
      map.key(K_WANT_NODES).bool(m.wantNodes());
      return null;
    }

    @Override
    public Void store(Message.Store m) {
      checkToken(m.token());
      map.key(K_TOKEN).bytes(m.token().unsafeArray());
      writeRecord(map.key(K_RECORD), m.record());
      return null;
    }

    @Override
    public Void subscribe(Message.Subscribe m) {
      checkToken(m.token());
      map.key(K_TARGET).bytes(m.key().toBytes());
      map.key(K_TOKEN).bytes(m.token().unsafeArray());
      map.key(K_TTL).integer(m.ttlSeconds());
      return null;
    }

    @Override
    public Void notify(Message.Notify m) {
      writeRecord(map.key(K_RECORD), m.record());
      return null;
    }

    @Override
    public Void signal(Message.Signal m) {
      map.key(K_SIGNAL).bytes(m.envelope().unsafeArray());
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
      map.key(K_OBSERVED).array(2).bytes(m.observed().ipBytes()).integer(m.observed().port());
      return null;
    }

    @Override
    public Void nodes(Message.Nodes m) {
      checkNodes(m.nodes());
      checkToken(m.token());
      nodeList(m.nodes());
      map.key(K_TOKEN).bytes(m.token().unsafeArray());
      if (m.isPaged()) { // a whole answer is the version-1 NODES, byte for byte
        map.key(K_TOTAL).integer(m.total());
        map.key(K_OFFSET).integer(m.offset());
      }
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
      map.key(K_TOKEN).bytes(m.token().unsafeArray());
      if (!m.records().isEmpty()) {
        CborWriter w = map.key(K_RECORDS).array(m.records().size());
        for (SignedRecord r : m.records()) {
          writeRecord(w, r);
        }
      }
      map.key(K_TOTAL).integer(m.total());
      map.key(K_OFFSET).integer(m.offset());
      return null;
    }

    @Override
    public Void storeAck(Message.StoreAck m) {
      return null;
    }

    @Override
    public Void subscribed(Message.Subscribed m) {
      map.key(K_TTL).integer(m.ttlSeconds());
      return null;
    }

    @Override
    public Void notifyAck(Message.NotifyAck m) {
      return null;
    }

    @Override
    public Void signalAck(Message.SignalAck m) {
      return null;
    }

    @Override
    public Void error(Message.ErrorReply m) {
      String text = wellFormed(m.message());
      map.key(K_ERROR_CODE).integer(m.code().wireCode());
      if (!text.isEmpty()) {
        map.key(K_ERROR_MESSAGE).text(text);
      }
      return null;
    }

    private void nodeList(List<NodeInfo> nodes) {
      if (!nodes.isEmpty()) {
        writeNodes(map.key(K_NODES), nodes);
      }
    }
  }

  private static void writeNodes(CborWriter w, List<NodeInfo> nodes) {
    w.array(nodes.size());
    for (NodeInfo n : nodes) {
      w.array(3).bytes(n.id().toBytes()).bytes(n.address().ipBytes()).integer(n.address().port());
    }
  }

  private static void writeRecord(CborWriter w, SignedRecord r) {
    w.map(RECORD_KEYS)
        .integer(R_KEY).bytes(r.key().toBytes())
        .integer(R_PUBLISHER).bytes(r.publisher().toBytes())
        .integer(R_KIND).integer(r.kind())
        .integer(R_SEQ).integer(r.seq())
        .integer(R_EXPIRES).integer(r.expiresAtSeconds())
        .integer(R_PAYLOAD).bytes(r.payload())
        .integer(R_SIGNATURE).bytes(r.signature());
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
