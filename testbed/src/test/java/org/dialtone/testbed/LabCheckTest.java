package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lab is what it says: NAT mapping and filtering per type, delay and loss as configured. */
class LabCheckTest {
  @Test
  void labBehavesAsLabelled() throws Exception {
    Testbeds.requireNetns();
    List<LabCheck.Finding> findings = LabCheck.run(Path.of("target/testbed/check"));
    findings.forEach(System.out::println);
    assertTrue(findings.stream().allMatch(LabCheck.Finding::pass), "failed: "
        + findings.stream().filter(f -> !f.pass()).toList());
  }
}
