package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** README's "Try your agent across NATs" example, run as written (the README's block must match this one). */
class TryAcrossNatsExampleTest {
  @Test
  void readmeExampleRuns() throws Exception {
    Testbeds.requireNetns();
    // README:begin
    LabSpec spec = LabSpec.builder().links(LinkSpec.delay(40, 10).withLoss(5))  // every line: 40 ± 10 ms, 5% loss
        .publicHosts("boot")
        .router("home", NatType.CONE).lanHost("me", "home")          // your agent, behind a home router
        .router("office", NatType.SYMMETRIC).lanHost("peer", "office")
        .build();
    try (Lab lab = Lab.start(spec, Path.of("target/lab"))) {         // everything is removed on close
      LabHost boot = lab.host("boot");
      boot.startNode("node", 7440, 8440, List.of()).awaitReady(Duration.ofSeconds(60));
      String seed = boot.address() + ":7440";
      LabProcess me = lab.host("me").start("agent",                  // or startCommand("agent", List.of("java",
          List.of("announce", "744-196884-23", "--name", "Me", "--bootstrap", seed)); // "-jar", "my-agent.jar"))
      me.awaitOutput("announced on 744-196884-23", Duration.ofSeconds(90));
      LabProcess.Outcome seen = lab.host("peer").run(Duration.ofSeconds(90),
          "dial", "744-196884-23", "--bootstrap", seed);             // seen from behind a symmetric NAT
      lab.loss("home", 20);                                          // worse line, now
      lab.partition(List.of("me"), List.of("boot", "peer"));         // cut the home off ... and back
      lab.heal();
      // README:end
      assertEquals(0, seen.exitCode(), seen.output());
      assertTrue(seen.output().contains("Me"), seen.output());
    }
  }

  @Test
  void readmeShowsThisExample() throws Exception {
    String test = Files.readString(Path.of("src/test/java/org/dialtone/testbed/TryAcrossNatsExampleTest.java"));
    String block = test.substring(test.indexOf("// README:begin\n") + 16, test.indexOf("      // README:end"));
    String readme = Files.readString(Path.of("../README.md"));
    assertTrue(normalize(readme).contains(normalize(block)), "README.md's lab example differs from this test's");
  }

  private static String normalize(String code) {
    return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
  }
}
