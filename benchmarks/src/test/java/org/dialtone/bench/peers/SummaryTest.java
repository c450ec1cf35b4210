package org.dialtone.bench.peers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary step renders the table, the ratios and both SVG plots from fixture runs of all three systems. */
class SummaryTest {
  @Test
  void rendersTableAndPlotsFromFixtures(@TempDir Path dir) throws Exception {
    for (String impl : List.of("dialtone", "hyperdht", "bittorrent-dht")) {
      String name = impl + "-n12-run1.json";
      try (var in = getClass().getResourceAsStream("/summary-fixture/" + name)) {
        Files.copy(in, dir.resolve(name));
      }
    }
    String md = Summary.write(dir);
    assertTrue(md.contains("### N = 12"), md);
    assertTrue(md.contains("| dialtone | 1 |"), md);
    assertTrue(md.contains("| hyperdht | 1 |"), md);
    assertTrue(md.contains("| bittorrent-dht | 1 |"), md);
    assertTrue(md.contains("Dialtone / best peer"), md);
    assertTrue(md.contains("lookups and announces found 100%"), md);
    assertTrue(Files.readString(dir.resolve("summary.md")).equals(md));
    assertTrue(Files.readString(dir.resolve("summary.json")).contains("ratioDialtoneToBestPeer"));
    String cdf = Files.readString(dir.resolve("lookup-cdf-n12.svg"));
    assertTrue(cdf.startsWith("<svg") && cdf.contains("polyline") && cdf.contains("hyperdht"), cdf);
    String vsN = Files.readString(dir.resolve("lookup-vs-n.svg"));
    assertTrue(vsN.startsWith("<svg") && vsN.contains("circle"), vsN);
  }
}
