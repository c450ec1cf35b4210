package org.dialtone.resolver.record;

import java.util.Objects;
import java.util.Optional;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.resolver.number.DialNumber;

/**
 * The seed's {@code GossipMessage}: from agent, from number, type, payload, signature. Here it is a typed view of a
 * verified DHT record; the signature is the envelope's Ed25519 signature over the key, kind, sequence, expiry and
 * payload, so the message cannot be replayed under another key or altered.
 *
 * @param fromAgent the signer
 * @param fromNumber the number the message is about (for shares, the sharer's number)
 * @param type the gossip type
 * @param kind the record kind carrying it
 * @param record the signed envelope
 */
public record GossipMessage(
    PublicKey fromAgent, DialNumber fromNumber, GossipType type, RecordKind kind, SignedRecord record) {
  public GossipMessage {
    Objects.requireNonNull(fromAgent);
    Objects.requireNonNull(fromNumber);
    Objects.requireNonNull(type);
    Objects.requireNonNull(kind);
    Objects.requireNonNull(record);
  }

  /** The payload, as signed. */
  public byte[] payload() {
    return record.payload();
  }

  /** The 64-byte Ed25519 signature. */
  public byte[] signature() {
    return record.signature();
  }

  /** The message a record carries, if it is one of the resolver's and verifies. */
  public static Optional<GossipMessage> of(SignedRecord record) {
    Optional<RecordKind> kind = RecordKind.of(record.kind());
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    if (kind.get() == RecordKind.SHARES) {
      return RecordCodec.decodeShares(record).map(s ->
          new GossipMessage(s.sharer(), s.fromNumber(), GossipType.SHARE, RecordKind.SHARES, record));
    }
    return RecordCodec.decodeAgent(record).map(a ->
        new GossipMessage(a.agent(), a.number(), kind.get().gossipType(), kind.get(), record));
  }
}
