package org.dialtone.dht.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress.Subnet;
import org.junit.jupiter.api.Test;

/**
 * The node under a flood of valid traffic: a store filled to its bound (50,000 records, every payload at the largest
 * size, from 25 networks each at its quota) fits in the heap the {@code ./dialtone} launcher gives the JVM. Runs the
 * fill in a child JVM with exactly that {@code -Xmx}, as a real process.
 */
class FullStoreHeapTest {
  @Test
  void aFullStoreFitsTheLaunchersHeap() throws Exception {
    Path launcher = Path.of(System.getProperty("user.dir")).getParent().resolve("dialtone");
    assertTrue(Files.isRegularFile(launcher), "the launcher is at " + launcher);
    Matcher m = Pattern.compile("DIALTONE_HEAP:-(\\d+m)").matcher(Files.readString(launcher));
    assertTrue(m.find(), "the launcher sets a default heap (DIALTONE_HEAP:-...)");
    String heap = m.group(1);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
        Fill.class.getName())
        .redirectErrorStream(true).start();
    boolean exited = p.waitFor(10, TimeUnit.MINUTES);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!exited) {
      p.destroyForcibly();
    }
    System.out.print("heap: " + out);
    assertTrue(exited, "the fill did not finish");
    assertEquals(0, p.exitValue(), "the fill failed with -Xmx" + heap + ":\n" + out);
    assertTrue(out.contains("stored 50000"), out);
  }

  /** Fills a default store to its bound with largest-size records and prints the live heap after a GC. */
  public static final class Fill {
    public static void main(String[] args) {
      StoreLimits limits = StoreLimits.defaults();
      RecordStore store = new RecordStore(NodeId.random(new Random(1)), limits);
      Random random = new Random(2);
      List<Identity> publishers = List.of(Identity.generate(random), Identity.generate(random));
      long now = System.currentTimeMillis();
      byte[] payload = new byte[SignedRecord.MAX_PAYLOAD_BYTES];
      int networks = limits.maxRecords() / limits.maxRecordsPerPrefix();
      int stored = 0;
      for (int i = 0; i < limits.maxRecords(); i++) {
        random.nextBytes(payload);
        SignedRecord r = SignedRecord.sign(publishers.get(i % 2), NodeId.random(random), 1, 1,
            now / 1000 + limits.maxTtlSeconds(), payload);
        Subnet network = new Subnet(new byte[] {10, (byte) (i % networks), 0});
        if (store.put(r, Optional.of(network), now).accepted()) {
          stored++;
        }
      }
      System.gc();
      Runtime rt = Runtime.getRuntime();
      System.out.printf("stored %d records; live heap after GC %d MB of max %d MB%n", stored,
          (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
      System.exit(stored == limits.maxRecords() ? 0 : 1);
    }
  }
}
