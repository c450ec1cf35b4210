package org.dialtone.dht.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityFileTest {
  @TempDir
  Path dir;

  @Test
  void anIdentitySurvivesARestartWithTheSameNodeId() throws IOException {
    Path file = dir.resolve("keys/node.key");
    Identity first = IdentityFile.loadOrCreate(file);
    Identity again = IdentityFile.loadOrCreate(file);
    assertEquals(first.publicKey(), again.publicKey());
    assertEquals(first.nodeId(), again.nodeId());
    byte[] message = "hello".getBytes();
    assertTrue(first.publicKey().verify(message, again.sign(message)));
  }

  @Test
  void theKeyFileIsReadableByItsOwnerOnly() throws IOException {
    Path file = dir.resolve("node.key");
    IdentityFile.save(Identity.generate(), file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(Files.notExists(dir.resolve("node.key.tmp")), "no temporary file is left behind");
  }

  /** Issue 9, item 14: a crash while writing a key never costs the key that was there, and leaves no empty key. */
  @Test
  void aCrashMidWriteLeavesTheOldKeyAndTheNextSaveCleansUp() throws IOException {
    Path file = dir.resolve("node.key");
    Identity old = Identity.generate();
    IdentityFile.save(old, file);
    Files.writeString(dir.resolve("node.key.tmp"), ""); // what a crash before the rename leaves behind
    assertEquals(old.publicKey(), IdentityFile.loadOrCreate(file).publicKey());
    Identity next = Identity.generate();
    IdentityFile.save(next, file);
    assertEquals(next.publicKey(), IdentityFile.load(file).publicKey());
    assertTrue(Files.notExists(dir.resolve("node.key.tmp")));
  }

  @Test
  void aKeyFileOthersCanReadIsWarnedAbout() throws IOException {
    Path file = dir.resolve("node.key");
    IdentityFile.save(Identity.generate(), file);
    assertEquals(false, SecretFiles.warnIfExposed(file));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertTrue(SecretFiles.warnIfExposed(file), "group- and world-readable");
    IdentityFile.load(file); // still loads: the warning tells the operator, the node keeps its id
  }

  @Test
  void aDamagedFileIsRefusedWithItsName() throws IOException {
    Path file = dir.resolve("bad.key");
    Files.writeString(file, "dialtone-ed25519-v1\nnot-hex\n");
    IOException e = assertThrows(IOException.class, () -> IdentityFile.load(file));
    assertTrue(e.getMessage().contains("bad.key"), e.getMessage());
    Files.writeString(file, "something else entirely\n");
    assertThrows(IOException.class, () -> IdentityFile.load(file));
    Files.writeString(file, "dialtone-ed25519-v1\n0011\n");
    assertTrue(assertThrows(IOException.class, () -> IdentityFile.load(file)).getMessage().contains("2 bytes"));
  }

  @Test
  void signaturesFailForOtherMessagesAndOtherKeys() {
    Identity a = Identity.generate();
    Identity b = Identity.generate();
    byte[] sig = a.sign("one".getBytes());
    assertTrue(a.publicKey().verify("one".getBytes(), sig));
    assertTrue(!a.publicKey().verify("two".getBytes(), sig));
    assertTrue(!b.publicKey().verify("one".getBytes(), sig));
    byte[] challenge = new byte[16];
    assertTrue(ChallengeProof.verify(a.publicKey(), challenge, ChallengeProof.sign(a, challenge)));
    assertTrue(!ChallengeProof.verify(b.publicKey(), challenge, ChallengeProof.sign(a, challenge)));
  }
}
