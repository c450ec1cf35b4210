package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/** What every testbed test does first. */
final class Testbeds {
  private Testbeds() {}

  /**
   * Fails with the one line that says what is missing where labs cannot run, unless {@code DIALTONE_NO_NETNS=1}
   * asks on purpose to skip (then the test is reported as skipped, with the reason).
   */
  static void requireNetns() {
    if ("1".equals(System.getenv("DIALTONE_NO_NETNS"))) {
      Assumptions.abort("DIALTONE_NO_NETNS=1: testbed tests skipped on purpose");
    }
    try {
      Lab.requireSupport();
    } catch (LabUnavailableException e) {
      fail(e.getMessage());
    }
  }
}
