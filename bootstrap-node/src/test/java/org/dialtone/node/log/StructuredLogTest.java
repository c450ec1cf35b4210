package org.dialtone.node.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The log-injection defence: whatever a client manages to get into a logged value (newlines, carriage returns,
 * quotes, '=', escapes, Unicode line separators), the event stays one line, and parsing that line gives back exactly
 * the keys the code logged, with the client's text as one value.
 */
class StructuredLogTest {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final StructuredLog log = StructuredLog.of("test");

  @BeforeEach
  @BeforeProperty
  void capture() {
    buffer.reset();
    StructuredLog.configure("INFO", new PrintStream(buffer, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  @AfterProperty
  void restore() {
    StructuredLog.configure("INFO", System.err);
  }

  private String output() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aForgedLineInAValueStaysInsideThatValue() {
    String attack = "dial\nts=2026-01-01T00:00:00Z level=ERROR logger=node event=node.compromised key=\"x\"\r\n";
    log.warn("gateway.failed", "path", attack, "code", "NOT_FOUND");
    String out = output();
    assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one event, one line:\n" + out);
    Map<String, String> fields = parse(out);
    assertEquals(List.of("ts", "level", "logger", "event", "path", "code"), List.copyOf(fields.keySet()), out);
    assertEquals("gateway.failed", fields.get("event"));
    assertEquals(attack, fields.get("path"), "the value comes back exactly");
    assertEquals("NOT_FOUND", fields.get("code"));
  }

  @Test
  void unicodeLineSeparatorsAndC1ControlsAreEscaped() {
    String attack = "a\u2028b\u2029c\u0085d\u001be[31m";
    log.info("e", "v", attack);
    String out = output();
    for (char c : new char[] {'\u2028', '\u2029', '\u0085', '\u001b'}) {
      assertTrue(out.indexOf(c) < 0, "raw U+" + Integer.toHexString(c) + " in " + out);
    }
    assertEquals(attack, parse(out).get("v"));
  }

  @Test
  void anErrorMessageIsQuotedToo() {
    log.warn("x.failed", new IllegalStateException("boom\nts=forged level=ERROR"), "k", "v");
    String out = output();
    assertEquals(1, out.chars().filter(c -> c == '\n').count(), out);
    // The cause chain is one line by itself (line breaks become spaces), and then quoted like any value.
    assertEquals("IllegalStateException: boom ts=forged level=ERROR", parse(out).get("error"));
  }

  @Test
  void aLibrarysMessageCannotForgeALineEither() {
    Logger.getLogger("io.example").warning("oops\nts=2026 level=ERROR logger=node event=forged");
    String out = output();
    assertEquals(1, out.chars().filter(c -> c == '\n').count(), out);
    Map<String, String> fields = parse(out);
    assertEquals("io.example", fields.get("logger"));
    assertEquals("oops\nts=2026 level=ERROR logger=node event=forged", fields.get("msg"));
  }

  @Property(tries = 300)
  void anyValueIsOneLineAndComesBackExactly(@ForAll String value, @ForAll String other) {
    buffer.reset();
    log.info("prop", "a", value, "b", other);
    String out = output();
    assertTrue(out.endsWith("\n") && out.indexOf('\n') == out.length() - 1, "not one line: " + out);
    Map<String, String> fields = parse(out);
    assertEquals(List.of("ts", "level", "logger", "event", "a", "b"), List.copyOf(fields.keySet()), out);
    assertEquals(value, fields.get("a"));
    assertEquals(other, fields.get("b"));
  }

  /** Parses one key=value line as a log reader would: bare values end at a space, quoted ones are unescaped. */
  static Map<String, String> parse(String line) {
    String s = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    while (i < s.length()) {
      int eq = s.indexOf('=', i);
      if (eq < 0) {
        throw new AssertionError("no '=' after position " + i + " in " + s);
      }
      String key = s.substring(i, eq);
      assertTrue(key.matches("[a-z_]+"), "key '" + key + "' in " + s);
      i = eq + 1;
      StringBuilder value = new StringBuilder();
      if (i < s.length() && s.charAt(i) == '"') {
        i++;
        while (s.charAt(i) != '"') {
          char c = s.charAt(i++);
          if (c != '\\') {
            value.append(c);
            continue;
          }
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 't' -> value.append('\t');
            case 'u' -> {
              value.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> value.append(e);
          }
        }
        i++; // closing quote
      } else {
        int end = s.indexOf(' ', i);
        end = end < 0 ? s.length() : end;
        value.append(s, i, end);
        i = end;
      }
      if (out.put(key, value.toString()) != null) {
        throw new AssertionError("key " + key + " twice in " + s);
      }
      if (i < s.length()) {
        assertEquals(' ', s.charAt(i), "after " + key + " in " + s);
        i++;
      }
    }
    return out;
  }
}
