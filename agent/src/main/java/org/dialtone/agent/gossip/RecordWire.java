package org.dialtone.agent.gossip;

import java.nio.ByteBuffer;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;

/**
 * A DHT record carried verbatim between agents: key (32), publisher (32), kind (u16), seq (u64), expiry (u64),
 * payload length (u16), payload, signature (64). Nothing is verified here; {@link KnownNumbers} verifies.
 */
public final class RecordWire {
  /** The largest encoded record. */
  public static final int MAX_BYTES = 32 + 32 + 2 + 8 + 8 + 2 + SignedRecord.MAX_PAYLOAD_BYTES + 64;

  private RecordWire() {}

  /** The wire form. */
  public static byte[] encode(SignedRecord r) {
    byte[] payload = r.payload();
    return ByteBuffer.allocate(148 + payload.length).put(r.key().toBytes()).put(r.publisher().toBytes())
        .putShort((short) r.kind()).putLong(r.seq()).putLong(r.expiresAtSeconds())
        .putShort((short) payload.length).put(payload).put(r.signature()).array();
  }

  /**
   * Reads one record from {@code in}.
   *
   * @throws IllegalArgumentException when it does not parse
   */
  public static SignedRecord decode(ByteBuffer in) {
    try {
      byte[] key = new byte[32];
      byte[] pub = new byte[32];
      in.get(key).get(pub);
      int kind = in.getShort() & 0xffff;
      long seq = in.getLong();
      long exp = in.getLong();
      int len = in.getShort() & 0xffff;
      if (len > SignedRecord.MAX_PAYLOAD_BYTES) {
        throw new IllegalArgumentException("payload of " + len + " bytes");
      }
      byte[] payload = new byte[len];
      byte[] sig = new byte[64];
      in.get(payload).get(sig);
      return SignedRecord.of(NodeId.of(key), PublicKey.of(pub), kind, seq, exp, payload, sig);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated record");
    }
  }
}
