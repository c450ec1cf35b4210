package org.dialtone.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JS runners at N = 5, M = 2, only where node and an installed peers/node_modules exist (run-peers.sh installs
 * them; the test suite never touches the network).
 */
class PeersSmokeTest {
  @ParameterizedTest
  @CsvSource({"hyperdht, 25500", "bittorrent-dht, 21500"})
  @Timeout(60)
  void runnerWritesTheScenarioJson(String impl, int base, @TempDir Path dir) throws Exception {
    Path peers = Path.of("peers").toAbsolutePath();
    assumeTrue(Files.isDirectory(peers.resolve("node_modules/" + impl)), "peers/node_modules not installed");
    assumeTrue(nodeAvailable(), "node not installed");
    Path out = dir.resolve(impl + ".json");
    Process p = new ProcessBuilder(List.of("node", "--expose-gc", impl + ".mjs", "--n", "5", "--m", "2", "--idle",
        "0", "--base", String.valueOf(base), "--out", out.toString()))
        .directory(peers.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
    if (!p.waitFor(50, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the runner did not stop: " + Files.readString(dir.resolve("log")));
    }
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("log")));
    JsonNode r = new ObjectMapper().readTree(out.toFile());
    assertEquals(impl, r.path("impl").asText());
    assertEquals(0, r.at("/formation/notReady").asInt());
    assertEquals(2, r.path("phases").size());
    for (JsonNode phase : r.path("phases")) {
      assertEquals(2, phase.at("/lookup/found").asInt(), phase.toString());
      assertEquals(2, phase.at("/announce/ok").asInt(), phase.toString());
    }
  }

  private static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
