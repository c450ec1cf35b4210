package org.dialtone.agent.secure;

import org.dialtone.dht.crypto.PublicKey;

/**
 * What a finished handshake yields: the peer's proven Ed25519 key and the two directional ChaCha20-Poly1305 keys.
 *
 * @param peer the key the peer proved it holds
 * @param sendKey the key this side seals with
 * @param receiveKey the key this side opens with
 * @param plaintext true when both sides agreed to skip encryption (loopback only)
 */
public record SessionKeys(PublicKey peer, byte[] sendKey, byte[] receiveKey, boolean plaintext) {

  /** The cipher for frames this side sends. */
  public FrameCipher sealer() {
    return plaintext ? FrameCipher.plaintext() : FrameCipher.sealing(sendKey);
  }

  /** The cipher for frames this side receives. */
  public FrameCipher opener() {
    return plaintext ? FrameCipher.plaintext() : FrameCipher.opening(receiveKey);
  }
}
