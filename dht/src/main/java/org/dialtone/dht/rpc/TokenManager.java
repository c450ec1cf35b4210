package org.dialtone.dht.rpc;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dialtone.dht.net.PeerAddress;

/**
 * Write tokens, as in BitTorrent's BEP 5: a node hands a short token to whoever asks it for records or closest nodes,
 * and accepts a STORE only with a token it handed to that same address recently.
 *
 * <p>Why: a STORE from a spoofed source address would otherwise make this node store (and later answer with) records
 * for a party that never talked to it. To hold a valid token, the sender must have received our reply at that address,
 * so it owns the address. The token is an HMAC of the address under a secret, so the node keeps no per-peer state.
 *
 * <p>The secret rotates every {@link #ROTATE_MILLIS} on a fixed grid from the creation time, and the previous secret
 * is still accepted, so a token stays valid for at least 5 and at most 10 minutes. Rotation is lazy (done on the next
 * call), so no timer is needed. Single-threaded: the node's event loop owns it.
 */
public final class TokenManager {
  /** How often the secret rotates; a token is valid from 5 to 10 minutes. */
  public static final long ROTATE_MILLIS = 5 * 60_000;
  /** The length of a token in bytes. */
  public static final int TOKEN_BYTES = 8;

  private static final String ALGORITHM = "HmacSHA256";
  private static final int SECRET_BYTES = 32;

  private final Random random;
  private long lastRotation;
  private Mac current;
  // Null right after creation, or when more than one period passed without a call: then no old token may pass.
  private Mac previous;

  /**
   * A token manager drawing its secrets from {@code random}: a {@link java.security.SecureRandom} in a real node, a
   * seeded {@link Random} only in simulations and tests.
   *
   * @param nowMonotonicMillis the monotonic time now, which starts the rotation grid
   */
  public TokenManager(Random random, long nowMonotonicMillis) {
    this.random = Objects.requireNonNull(random, "random");
    this.lastRotation = nowMonotonicMillis;
    this.current = newMac();
  }

  /** The token for {@code requester}: the first 8 bytes of HMAC-SHA256(secret, ip bytes || port as u16 big-endian). */
  public byte[] issue(PeerAddress requester, long nowMonotonicMillis) {
    Objects.requireNonNull(requester, "requester");
    rotate(nowMonotonicMillis);
    return token(current, requester);
  }

  /**
   * True when {@code token} is one this manager issued to {@code requester} under the current or the previous secret.
   * The comparison takes the same time wherever the bytes differ, so a sender cannot guess a token byte by byte.
   */
  public boolean isValid(byte[] token, PeerAddress requester, long nowMonotonicMillis) {
    Objects.requireNonNull(requester, "requester");
    rotate(nowMonotonicMillis);
    if (token == null || token.length != TOKEN_BYTES) {
      return false;
    }
    if (MessageDigest.isEqual(token, token(current, requester))) {
      return true;
    }
    return previous != null && MessageDigest.isEqual(token, token(previous, requester));
  }

  private void rotate(long nowMonotonicMillis) {
    long elapsed = nowMonotonicMillis - lastRotation;
    if (elapsed < ROTATE_MILLIS) {
      return;
    }
    long periods = elapsed / ROTATE_MILLIS;
    // Keep the grid fixed, so a token's lifetime does not stretch when calls are sparse.
    lastRotation += periods * ROTATE_MILLIS;
    previous = periods == 1 ? current : null;
    current = newMac();
  }

  private Mac newMac() {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret, ALGORITHM));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every Java runtime provides " + ALGORITHM, e);
    }
  }

  private static byte[] token(Mac mac, PeerAddress requester) {
    mac.update(requester.ipBytes());
    int port = requester.port();
    mac.update((byte) (port >>> 8));
    mac.update((byte) port);
    byte[] full = mac.doFinal();
    byte[] out = new byte[TOKEN_BYTES];
    System.arraycopy(full, 0, out, 0, TOKEN_BYTES);
    return out;
  }
}
