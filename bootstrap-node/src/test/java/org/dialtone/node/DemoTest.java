package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code dialtone demo} tells the whole story and exits 0. */
class DemoTest {
  @Test
  void theDemoTellsTheSeedsStory() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"demo", "--nodes", "6"}, new PrintWriter(out, true), new PrintWriter(err, true));
    String text = out.toString();
    assertEquals(0, code, text + err);
    for (String line : List.of("3 bootstrap nodes", "744-196884-23: 3 agents", "[watcher] JOINED",
        "[watcher] SHARED", "[watcher] LEFT", "744-196884-53  hosted by Agent B", "200 {\"number\":\"744-196884-53\"",
        "[B] heard \"hello B\"", "[A] heard \"hi A, B here\"", "stopped every node and agent")) {
      assertTrue(text.contains(line), "missing '" + line + "' in\n" + text);
    }
  }
}
