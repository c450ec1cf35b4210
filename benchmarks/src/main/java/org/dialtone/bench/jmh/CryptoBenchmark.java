package org.dialtone.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.crypto.ChallengeProof;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Ed25519 (BouncyCastle) as the node uses it: signing and verifying a record's signed bytes (a 64-byte payload), with
 * a key object made once ({@code verify}) or for each verification ({@code verifyNewKey}: a key seen for the first
 * time, which is what proving a new contact costs), and the challenge proof's sign and verify. Since 27 Nov 2026
 * {@link PublicKey} keeps no decoded point, so the two verifications do the same work but for one small allocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CryptoBenchmark {
  Identity identity;
  byte[] message;
  byte[] signature;
  byte[] keyBytes;
  PublicKey key;
  byte[] challenge;
  byte[] proof;
  java.security.PublicKey jdkKey;

  @Setup
  public void setup() {
    Random r = new Random(5);
    identity = Identity.generate(r);
    SignedRecord record = SignedRecord.sign(identity, NodeId.random(r), 1, 1, 2_000_000_000L, Fixtures.bytes(r, 64));
    message = record.signedBytes();
    signature = record.signature();
    keyBytes = identity.publicKey().toBytes();
    key = PublicKey.of(keyBytes);
    challenge = Fixtures.bytes(r, 16);
    proof = ChallengeProof.sign(identity, challenge);
    jdkKey = jdkPublicKey(keyBytes);
  }

  /** The JDK's view of a raw 32-byte Ed25519 public key (RFC 8032 encoding: little-endian y, x's sign in bit 255). */
  static java.security.PublicKey jdkPublicKey(byte[] raw) {
    try {
      byte[] be = new byte[32];
      for (int i = 0; i < 32; i++) {
        be[i] = raw[31 - i];
      }
      boolean xOdd = (be[0] & 0x80) != 0;
      be[0] &= 0x7f;
      java.security.spec.EdECPoint point = new java.security.spec.EdECPoint(xOdd, new java.math.BigInteger(1, be));
      return java.security.KeyFactory.getInstance("Ed25519").generatePublic(
          new java.security.spec.EdECPublicKeySpec(java.security.spec.NamedParameterSpec.ED25519, point));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Benchmark
  public byte[] sign() {
    return identity.sign(message);
  }

  @Benchmark
  public boolean verify() {
    return key.verify(message, signature);
  }

  @Benchmark
  public boolean verifyNewKey() {
    return PublicKey.of(keyBytes).verify(message, signature);
  }

  /**
   * The JDK's own Ed25519 (SunEC, {@code Signature.getInstance("Ed25519")}) on the same key and message, for
   * comparison with BouncyCastle, which the node uses.
   */
  @Benchmark
  public boolean jdkVerify() throws Exception {
    java.security.Signature v = java.security.Signature.getInstance("Ed25519");
    v.initVerify(jdkKey);
    v.update(message);
    return v.verify(signature);
  }

  @Benchmark
  public byte[] challengeSign() {
    return ChallengeProof.sign(identity, challenge);
  }

  @Benchmark
  public boolean challengeVerifyNewKey() {
    return ChallengeProof.verify(PublicKey.of(keyBytes), challenge, proof);
  }
}
