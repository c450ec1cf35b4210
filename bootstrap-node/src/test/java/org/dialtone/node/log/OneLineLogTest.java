package org.dialtone.node.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One line per event, whatever is thrown, in either format; client input never forges a line. */
class OneLineLogTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream sink = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @AfterEach
  void reset() {
    StructuredLog.configure("WARN", "text", System.err);
  }

  private List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static Exception nested() {
    return new CompletionException(new IllegalStateException("watch refused",
        new IOException("bind failed\nsecond line", new java.net.BindException("Address already in use"))));
  }

  @Test
  void aFailureIsOneLineWithItsCauseChain() {
    StructuredLog.configure("DEBUG", "text", sink);
    StructuredLog.of("gateway").warn("gateway.watch_refused", nested(), "number", "744-196884-23");
    List<String> lines = lines();
    assertEquals(1, lines.size(), String.join("\n", lines));
    String l = lines.get(0);
    assertTrue(l.contains("error=\"IllegalStateException: watch refused: IOException: bind failed second line: "
        + "BindException: Address already in use\""), l);
    assertTrue(l.contains(" at="), "DEBUG names where the root cause was thrown: " + l);
  }

  @Test
  void libraryRecordsWithAThrowableAreOneLineToo() {
    StructuredLog.configure("INFO", "text", sink);
    Logger.getLogger("io.vertx.core.http.impl.Whatever").log(Level.SEVERE, "Unhandled exception", nested());
    List<String> lines = lines();
    assertEquals(1, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).contains("logger=io.vertx.core.http.impl.Whatever msg=\"Unhandled exception\" error="),
        lines.get(0));
  }

  @Test
  void jsonFormatIsOneObjectPerLine() throws Exception {
    StructuredLog.configure("INFO", "json", sink);
    StructuredLog.of("node").info("node.ready", "id", "3fa2", "evil", "x\n{\"forged\":1}");
    StructuredLog.of("node").error("node.failed", nested());
    Logger.getLogger("io.netty.Something").warning("careful");
    List<String> lines = lines();
    assertEquals(3, lines.size(), String.join("\n", lines));
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertEquals("node.ready", first.get("event").asText());
    assertEquals("x\n{\"forged\":1}", first.get("evil").asText());
    assertEquals("ERROR", json.readTree(lines.get(1)).get("level").asText());
    assertTrue(json.readTree(lines.get(1)).get("error").asText().contains("BindException"));
    assertEquals("careful", json.readTree(lines.get(2)).get("msg").asText());
  }

  @Test
  void badLevelsAndFormatsNameTheValidOnes() {
    IllegalArgumentException level = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> StructuredLog.configure("verbose", "text", sink));
    assertTrue(level.getMessage().contains("ERROR, WARN, INFO, DEBUG"), level.getMessage());
    IllegalArgumentException format = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> StructuredLog.configure("INFO", "xml", sink));
    assertTrue(format.getMessage().contains("text, json"), format.getMessage());
  }
}
