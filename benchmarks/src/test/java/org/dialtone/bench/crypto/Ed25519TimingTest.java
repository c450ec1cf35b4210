package org.dialtone.bench.crypto;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The timing runs on a few keys, checks that the libraries agree on keys and signatures, and renders its table. */
class Ed25519TimingTest {
  @Test
  void timesEveryLibraryAndRendersTheTable() throws Exception {
    Map<String, Object> r = Ed25519Timing.run(20, 1);
    assertTrue(((Map<?, ?>) r.get("bouncyCastle")).get("verify") instanceof Double, r.toString());
    assertTrue(((Map<?, ?>) r.get("jdk")).get("sign") instanceof Double, r.toString());
    assertTrue(r.containsKey("libsodium"), r.toString()); // measured, or a note saying why not
    String md = Ed25519Timing.markdown(r);
    assertTrue(md.contains("| bouncyCastle |") && md.contains("| libsodium |") && md.contains("| jdk |"), md);
  }
}
