package org.dialtone.dht.id;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Content keys: SHA-256 of a domain-separated canonical string such as {@code number:744-196884-23},
 * {@code service:files}, {@code interest:crypto} or {@code agent:<hex key>}. The domain prefix keeps the key spaces
 * of different kinds of content apart, so a service named like a number never lands on that number's key.
 */
public final class Keys {
  private Keys() {}

  /** SHA-256 of the given bytes. */
  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }

  /**
   * The key of {@code name} in {@code domain}: SHA-256 of the UTF-8 string {@code domain + ":" + name}.
   *
   * @param domain a lowercase word without a colon, such as {@code number}
   * @param name any string; the caller canonicalises it first
   */
  public static NodeId contentKey(String domain, String name) {
    if (domain.isEmpty() || domain.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a key domain is a non-empty word without ':', got '" + domain + "'");
    }
    return NodeId.of(sha256((domain + ":" + name).getBytes(StandardCharsets.UTF_8)));
  }

  /** The node id of an Ed25519 public key: SHA-256 of its 32 bytes. */
  public static NodeId nodeIdOf(byte[] publicKey) {
    return NodeId.of(sha256(publicKey));
  }
}
