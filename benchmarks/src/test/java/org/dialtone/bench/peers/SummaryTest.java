package org.dialtone.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The summary step renders the tables, the ratios and the SVG plots from fixture runs of all three systems, pinned
 * and unpinned side by side, with the ratios and targets on the pinned runs.
 */
class SummaryTest {
  @Test
  void rendersTableAndPlotsFromFixtures(@TempDir Path dir) throws Exception {
    for (String impl : List.of("dialtone", "hyperdht", "bittorrent-dht")) {
      String name = impl + "-n12-run1.json";
      try (var in = getClass().getResourceAsStream("/summary-fixture/" + name)) {
        Files.copy(in, dir.resolve(name));
      }
      // the same run filed as pinned, with the Dialtone formation made twice as slow so the two can be told apart
      String pinned = Files.readString(dir.resolve(name));
      if (impl.equals("dialtone")) {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(pinned);
        var formation = (com.fasterxml.jackson.databind.node.ObjectNode) tree.get("formation");
        formation.put("ms", formation.get("ms").asDouble() * 2);
        pinned = tree.toString();
      }
      Files.writeString(dir.resolve(impl + "-n12-pinned-run1.json"), pinned);
    }
    String md = Summary.write(dir);
    assertTrue(md.contains("### N = 12"), md);
    assertTrue(md.contains("| dialtone | 1 |"), md);
    assertTrue(md.contains("| hyperdht | 1 |"), md);
    assertTrue(md.contains("| bittorrent-dht | 1 |"), md);
    assertTrue(md.contains("Dialtone / best peer"), md);
    assertTrue(md.contains("lookups and announces found 100%"), md);
    assertTrue(md.contains("#### Pinned to one core") && md.contains("#### Unpinned (both cores)"), md);
    assertTrue(md.contains("Pinned / unpinned side by side"), md);
    // the targets are read once, on the pinned runs, whose Dialtone formation is twice the unpinned one
    assertEquals(1, md.split("Targets at N = 12", -1).length - 1, md);
    assertTrue(Files.readString(dir.resolve("summary.json")).contains("\"ratiosAndTargetsOn\" : \"pinned\""));
    String growth = Files.readString(dir.resolve("growth-vs-n.svg"));
    assertTrue(growth.startsWith("<svg") && growth.contains("formation"), growth);
    assertTrue(Files.readString(dir.resolve("summary.md")).equals(md));
    assertTrue(Files.readString(dir.resolve("summary.json")).contains("ratioDialtoneToBestPeer"));
    String cdf = Files.readString(dir.resolve("lookup-cdf-n12.svg"));
    assertTrue(cdf.startsWith("<svg") && cdf.contains("polyline") && cdf.contains("hyperdht"), cdf);
    String vsN = Files.readString(dir.resolve("lookup-vs-n.svg"));
    assertTrue(vsN.startsWith("<svg") && vsN.contains("circle"), vsN);
  }
}
