package org.dialtone.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/** Gathers {@code /metrics} of a lab's nodes into the lab's directory. */
final class Metrics {
  private Metrics() {}

  static void save(Lab lab, List<LabProcess> nodes, int httpPort) {
    for (LabProcess p : nodes) {
      if (!p.isAlive()) {
        continue;
      }
      LabHost h = p.host();
      int port = httpPort;
      try {
        var reply = h.httpGet(h.address(), port, "/metrics", Duration.ofSeconds(10));
        Files.writeString(h.dir().resolve(p.label() + ".metrics"), reply.body());
      } catch (IOException e) {
        // a node that does not answer: its log says why; the test's assertions decide
      }
    }
  }
}
