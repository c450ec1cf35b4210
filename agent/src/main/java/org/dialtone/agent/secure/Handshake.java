package org.dialtone.agent.secure;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;

/**
 * The constants and primitives of the agent handshake (see {@code docs/connections.md}): X25519 ephemeral keys,
 * SHA-256 transcript hashes, domain-separated Ed25519 signatures and HKDF-SHA256. Only JDK 17 and the Ed25519 code
 * already in {@code dht} are used.
 */
public final class Handshake {
  /** The protocol version this code speaks. */
  public static final int VERSION = 1;
  /** The first bytes of a client hello. */
  public static final byte[] MAGIC = "DTA1".getBytes(StandardCharsets.US_ASCII);
  /** Flag bit: the client asks for plaintext (loopback only). */
  public static final int FLAG_PLAINTEXT = 1;
  /** Size of a client hello: magic, version, flags, X25519 key, nonce. */
  public static final int CLIENT_HELLO_BYTES = 4 + 1 + 1 + 32 + 32;
  /** Size of the signed part of a server hello: version, flags, X25519 key, nonce, Ed25519 key. */
  public static final int SERVER_SIGNED_BYTES = 1 + 1 + 32 + 32 + 32;
  /** Size of a server hello: the signed part and a 64-byte signature. */
  public static final int SERVER_HELLO_BYTES = SERVER_SIGNED_BYTES + 64;
  /** Size of a client auth: Ed25519 key and signature. */
  public static final int CLIENT_AUTH_BYTES = 32 + 64;

  static final byte[] TRANSCRIPT_LABEL = ascii("dialtone-agent-v1");
  static final byte[] SERVER_LABEL = ascii("dialtone-agent-v1 server");
  static final byte[] CLIENT_LABEL = ascii("dialtone-agent-v1 client");
  static final byte[] KEYS_LABEL = ascii("dialtone-agent-v1 keys");

  private static final SecureRandom RANDOM = new SecureRandom();

  private Handshake() {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] nonce() {
    byte[] n = new byte[32];
    RANDOM.nextBytes(n);
    return n;
  }

  static KeyPair ephemeral() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK lacks X25519", e);
    }
  }

  /** The RFC 7748 encoding of an X25519 public key: u, 32 bytes little-endian. */
  static byte[] rawPublic(KeyPair pair) {
    BigInteger u = ((XECPublicKey) pair.getPublic()).getU();
    byte[] be = u.toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < 32 && i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  /** X25519(private, peer's raw key); an all-zero result (a low-order point) is refused. */
  static byte[] agree(PrivateKey mine, byte[] peerRaw) {
    try {
      byte[] be = new byte[32];
      for (int i = 0; i < 32; i++) {
        be[i] = peerRaw[31 - i];
      }
      be[0] &= 0x7f; // RFC 7748: mask the top bit
      var spec = new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be));
      var peer = KeyFactory.getInstance("X25519").generatePublic(spec);
      KeyAgreement ka = KeyAgreement.getInstance("X25519");
      ka.init(mine);
      ka.doPhase(peer, true);
      byte[] shared = ka.generateSecret();
      if (isZero(shared)) {
        throw new AgentException(AgentError.BAD_HANDSHAKE, "ephemeral key is a low-order point");
      }
      return shared;
    } catch (GeneralSecurityException e) {
      throw new AgentException(AgentError.BAD_HANDSHAKE, "ephemeral key refused: " + e.getMessage());
    }
  }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        d.update(p);
      }
      return d.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** HKDF-SHA256 (RFC 5869), at most 255 * 32 bytes. */
  static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(salt, "HmacSHA256"));
      byte[] prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      byte[] out = new byte[length];
      byte[] t = new byte[0];
      for (int i = 1, at = 0; at < length; i++) {
        mac.update(t);
        mac.update(info);
        mac.update((byte) i);
        t = mac.doFinal();
        System.arraycopy(t, 0, out, at, Math.min(t.length, length - at));
        at += t.length;
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The two directional keys: client to server first, server to client second. */
  static byte[][] keys(byte[] shared, byte[] transcript) {
    byte[] okm = hkdf(shared, transcript, KEYS_LABEL, 64);
    return new byte[][] {Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 64)};
  }

  private static boolean isZero(byte[] b) {
    int acc = 0;
    for (byte x : b) {
      acc |= x;
    }
    return acc == 0;
  }
}
