package org.dialtone.node.lan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.resolver.number.DialNumber;

/**
 * The DNS-SD names of a number's hosts on the LAN. Service type {@value #SERVICE_TYPE}; a dialler asks for the
 * subtype of the number, {@code _n<tag>._sub._dialtone-host._tcp.local}, where the tag is the first 16 bytes of
 * SHA-256 over {@code "dialtone lan host " + number} in hex (the number is not on the air in clear; numbers are few,
 * so this hides it only from a casual listener); each host answers with its instance {@code k<key>}, the host's
 * 32-byte Ed25519 key in lower-case base32 (RFC 4648, no padding: 52 characters), so the key the handshake must
 * prove is in the name itself.
 */
public final class LanHostNames {
  /** The DNS-SD service type of a number's hosts. */
  public static final String SERVICE_TYPE = "_dialtone-host._tcp.local";
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final int KEY_CHARS = 52;

  private LanHostNames() {}

  /** The subtype a dialler asks for, and hosts of {@code number} answer to. */
  public static String subtype(DialNumber number) {
    return "_n" + tag(number) + "._sub." + SERVICE_TYPE;
  }

  /** 32 hex digits naming {@code number} on the LAN. */
  static String tag(DialNumber number) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest(("dialtone lan host " + number).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The instance label of the host whose key is {@code key}: {@code k} and 52 base32 characters. */
  public static String instanceLabel(PublicKey key) {
    byte[] b = key.toBytes();
    StringBuilder out = new StringBuilder("k");
    int buffer = 0;
    int bits = 0;
    for (byte x : b) {
      buffer = (buffer << 8) | (x & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /**
   * The key a full instance name ({@code k<key>._dialtone-host._tcp.local}) carries; empty unless it is exactly the
   * canonical name of some key (so one key has one name).
   */
  public static Optional<PublicKey> keyOf(String instance) {
    String suffix = "." + SERVICE_TYPE;
    if (!instance.endsWith(suffix)) {
      return Optional.empty();
    }
    String label = instance.substring(0, instance.length() - suffix.length());
    if (label.length() != 1 + KEY_CHARS || label.charAt(0) != 'k') {
      return Optional.empty();
    }
    byte[] out = new byte[PublicKey.BYTES];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 1; i < label.length(); i++) {
      int v = ALPHABET.indexOf(label.charAt(i));
      if (v < 0) {
        return Optional.empty();
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        if (n == out.length) {
          return Optional.empty();
        }
        out[n++] = (byte) (buffer >> (bits - 8));
        bits -= 8;
      }
    }
    if (n != out.length || (buffer & ((1 << bits) - 1)) != 0) {
      return Optional.empty(); // short, or padding bits set: not the canonical name
    }
    return Optional.of(PublicKey.of(out));
  }
}
