package org.dialtone.agent.quic;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.TimeZone;

/**
 * A self-signed X.509 certificate on a fresh P-256 key, for QUIC's mandatory TLS. It proves nothing and nobody checks
 * it: the agent handshake on the first stream proves the Ed25519 key. Encoded here (about 40 lines of DER) because
 * the JDK has no public certificate builder and Bouncy Castle's PKIX module is not otherwise needed.
 *
 * @param keys the key pair
 * @param certificate the certificate, signed by its own key
 */
public record ThrowawayCertificate(KeyPair keys, X509Certificate certificate) {
  private static final byte[] ECDSA_WITH_SHA256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03,
      0x02};
  private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};

  /** A new key and certificate, valid from a day ago for a year. */
  public static ThrowawayCertificate create() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair keys = g.generateKeyPair();
      byte[] algorithm = seq(ECDSA_WITH_SHA256);
      byte[] name = seq(set(seq(COMMON_NAME, tlv(0x0c, "dialtone".getBytes(StandardCharsets.US_ASCII)))));
      long now = System.currentTimeMillis();
      byte[] serial = new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray();
      byte[] tbs = seq(
          tlv(0xa0, tlv(0x02, new byte[] {2})), // version v3
          tlv(0x02, serial),
          algorithm,
          name,
          seq(utcTime(now - 86_400_000L), utcTime(now + 365L * 86_400_000L)),
          name,
          keys.getPublic().getEncoded()); // SubjectPublicKeyInfo, already DER
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(keys.getPrivate());
      s.update(tbs);
      byte[] signature = s.sign();
      byte[] bitString = new byte[signature.length + 1]; // no unused bits
      System.arraycopy(signature, 0, bitString, 1, signature.length);
      byte[] der = seq(tbs, algorithm, tlv(0x03, bitString));
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      return new ThrowawayCertificate(keys, cert);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make a P-256 certificate", e);
    }
  }

  private static byte[] utcTime(long millis) {
    SimpleDateFormat f = new SimpleDateFormat("yyMMddHHmmss'Z'");
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    return tlv(0x17, f.format(new Date(millis)).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >>> 8);
      out.write(n & 0xff);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
