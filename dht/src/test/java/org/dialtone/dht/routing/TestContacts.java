package org.dialtone.dht.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;

/** Real contacts for tests: a pool of Ed25519 keys generated once from a fixed seed, and handy addresses. */
final class TestContacts {
  static final int POOL_SIZE = 256;
  private static final List<PublicKey> KEYS = generate();

  private TestContacts() {}

  private static List<PublicKey> generate() {
    Random random = new Random(0x5eed);
    List<PublicKey> keys = new ArrayList<>(POOL_SIZE);
    for (int i = 0; i < POOL_SIZE; i++) {
      keys.add(Identity.generate(random).publicKey());
    }
    return List.copyOf(keys);
  }

  static PublicKey key(int i) {
    return KEYS.get(i);
  }

  static NodeId id(int i) {
    return KEYS.get(i).nodeId();
  }

  static Contact contact(int i, PeerAddress address) {
    return Contact.of(KEYS.get(i), address);
  }

  /** A public IPv4 address 45.{subnet}.7.{host}: contacts with the same {@code subnet} share a /24. */
  static PeerAddress publicAddress(int subnet, int host, int port) {
    return PeerAddress.of(new byte[] {45, (byte) subnet, 7, (byte) host}, port);
  }

  /** 127.0.0.1 at {@code port}: all loopback addresses share one /24. */
  static PeerAddress loopback(int port) {
    return PeerAddress.of(new byte[] {127, 0, 0, 1}, port);
  }

  /** Pool indices (other than those of {@code self}) whose ids fall in bucket {@code bucket} of {@code self}. */
  static List<Integer> inBucket(NodeId self, int bucket) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < POOL_SIZE; i++) {
      NodeId id = id(i);
      if (!id.equals(self) && self.commonPrefixLength(id) == bucket) {
        out.add(i);
      }
    }
    return out;
  }
}
