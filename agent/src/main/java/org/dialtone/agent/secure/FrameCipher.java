package org.dialtone.agent.secure;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;

/**
 * One direction of a channel: ChaCha20-Poly1305 with a 12-byte nonce of four zero bytes and a 64-bit big-endian
 * frame counter. Each frame's nonce is the next counter value, never sent, so a dropped, replayed, reordered or
 * altered frame fails to open. Not thread-safe: one sender, one receiver per direction.
 */
public final class FrameCipher {
  /** The Poly1305 tag added to every sealed frame. */
  public static final int TAG_BYTES = 16;

  private final Cipher cipher;
  private final SecretKeySpec key;
  private final boolean sealing;
  private final byte[] nonce = new byte[12];
  private long counter;

  private FrameCipher(byte[] key, boolean sealing) {
    this.sealing = sealing;
    if (key == null) {
      this.cipher = null;
      this.key = null;
      return;
    }
    this.key = new SecretKeySpec(key, "ChaCha20");
    try {
      this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK lacks ChaCha20-Poly1305", e);
    }
  }

  /** Seals with {@code key}. */
  public static FrameCipher sealing(byte[] key) {
    return new FrameCipher(key.clone(), true);
  }

  /** Opens with {@code key}. */
  public static FrameCipher opening(byte[] key) {
    return new FrameCipher(key.clone(), false);
  }

  /** Passes frames through unchanged (plaintext mode, loopback only). */
  public static FrameCipher plaintext() {
    return new FrameCipher(null, true);
  }

  /** Frames sealed or opened so far. */
  public long counter() {
    return counter;
  }

  /** The sealed frame: ciphertext and tag. */
  public byte[] seal(byte[] plain) {
    if (!sealing) {
      throw new IllegalStateException("an opening cipher");
    }
    if (cipher == null) {
      counter++;
      return plain;
    }
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, nextNonce());
      return cipher.doFinal(plain);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  /**
   * The plaintext of the next frame.
   *
   * @throws AgentException {@link AgentError#DECRYPT_FAILED} when the frame is not the next one sealed with the key
   */
  public byte[] open(byte[] sealed) {
    if (cipher == null) {
      counter++;
      return sealed;
    }
    if (sealing) {
      throw new IllegalStateException("a sealing cipher");
    }
    if (sealed.length < TAG_BYTES) {
      throw new AgentException(AgentError.DECRYPT_FAILED, "frame shorter than its tag");
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, nextNonce());
      return cipher.doFinal(sealed);
    } catch (GeneralSecurityException e) {
      throw new AgentException(AgentError.DECRYPT_FAILED, "frame " + (counter - 1) + " failed authentication");
    }
  }

  private IvParameterSpec nextNonce() {
    if (counter == Long.MAX_VALUE) {
      throw new AgentException(AgentError.CLOSED, "frame counter exhausted");
    }
    ByteBuffer.wrap(nonce).putInt(0).putLong(counter++);
    return new IvParameterSpec(nonce);
  }
}
