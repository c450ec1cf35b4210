package org.dialtone.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message;

/** Deterministic inputs shared by the benchmarks (seeded, so every run measures the same bytes). */
final class Fixtures {
  private Fixtures() {}

  static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  static PeerAddress address(int i) {
    return PeerAddress.of(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}, 20000 + (i & 0x7fff));
  }

  /** A contact with a random 32-byte key (any 32 bytes are a valid {@link PublicKey}; no curve work needed). */
  static Contact contact(Random r, int i) {
    return Contact.of(PublicKey.of(bytes(r, 32)), address(i));
  }

  static List<NodeInfo> nodes(Random r, int n) {
    List<NodeInfo> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new NodeInfo(NodeId.random(r), address(i)));
    }
    return out;
  }

  /** One message of each type, sized like the real traffic of a lookup and a store: 20 IPv4 nodes, 8-byte tokens. */
  static Message message(String type, Random r) {
    Identity id = Identity.generate(r);
    PublicKey key = id.publicKey();
    long tx = r.nextLong();
    Optional<Blob> challenge = Optional.of(Blob.of(bytes(r, Message.CHALLENGE_BYTES)));
    Optional<Blob> sig = Optional.of(Blob.of(bytes(r, 64)));
    Blob token = Blob.of(bytes(r, 8));
    SignedRecord record = SignedRecord.sign(id, NodeId.random(r), 1, 1, 2_000_000_000L, bytes(r, 64));
    return switch (type) {
      case "PING" -> new Message.Ping(tx, Optional.of(key), challenge);
      case "PONG" -> new Message.Pong(tx, key, sig, address(7));
      case "FIND_NODE" -> new Message.FindNode(tx, Optional.of(key), challenge, NodeId.random(r));
      case "NODES" -> new Message.Nodes(tx, key, sig, nodes(r, 20), token);
      case "FIND_VALUE" -> new Message.FindValue(tx, Optional.of(key), challenge, NodeId.random(r), 0, true);
      case "VALUES" -> new Message.Values(tx, key, sig, nodes(r, 8), token, List.of(record), 0, 1);
      case "STORE" -> new Message.Store(tx, Optional.of(key), token, record);
      case "STORE_ACK" -> new Message.StoreAck(tx, key, Optional.empty());
      case "ERROR" -> new Message.ErrorReply(tx, key, Optional.empty(), ErrorCode.BAD_TOKEN, "bad token");
      default -> throw new IllegalArgumentException(type);
    };
  }
}
