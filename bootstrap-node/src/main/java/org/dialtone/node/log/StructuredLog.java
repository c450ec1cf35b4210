package org.dialtone.node.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Structured logs: one line per event, {@code key=value} pairs, on standard error, through java.util.logging.
 *
 * <pre>ts=2026-11-24T02:30:00.123Z level=INFO logger=node event=node.ready id=3fa2c1d0 udp=127.0.0.1:7440</pre>
 *
 * Values with spaces, quotes or '=' are quoted; control characters (C0, C1, U+2028, U+2029) and surrogates are
 * escaped, so a client's input can never forge a log line ({@code StructuredLogTest} mounts the attacks).
 */
public final class StructuredLog {
  // Our own events are written straight to the sink, not through a java.util.logging handler, so that they are not
  // lost when the JVM shuts down: LogManager resets its handlers in a shutdown hook of its own, which races with
  // ours (a SIGTERM's "node.stopped" must still be logged).
  private static volatile PrintStream sink = System.err;
  private static volatile Level threshold = Level.INFO;

  private final Logger logger;
  private final String name;

  private StructuredLog(String name) {
    this.name = name;
    this.logger = Logger.getLogger("org.dialtone." + name);
  }

  private static final KeyValueFormatter FORMATTER = new KeyValueFormatter();

  /** A log named {@code name} (appears as {@code logger=name}). */
  public static StructuredLog of(String name) {
    return new StructuredLog(name);
  }

  /**
   * Routes every java.util.logging record (ours and the libraries') through one key=value handler at {@code level}:
   * one of ERROR, WARN, INFO, DEBUG, TRACE (or the java.util.logging names).
   */
  public static void configure(String level, PrintStream out) {
    Level jul = parseLevel(level);
    sink = out;
    threshold = jul;
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    // A StreamHandler on the given stream, flushed per record and never closing it (a ConsoleHandler would close
    // System.err when given another stream).
    Handler h = new StreamHandler(out, new KeyValueFormatter()) {
      @Override
      public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
      }

      @Override
      public synchronized void close() {
        flush();
      }
    };
    h.setLevel(jul);
    root.addHandler(h);
    root.setLevel(jul);
    // Library chatter (Vert.x, Netty) only from WARN up unless asked for DEBUG.
    Logger.getLogger("io").setLevel(jul.intValue() <= Level.FINE.intValue() ? jul : Level.WARNING);
  }

  /** java.util.logging level for a --log-level value; fails with a message listing the valid ones. */
  public static Level parseLevel(String level) {
    return switch (level.toUpperCase(Locale.ROOT)) {
      case "ERROR", "SEVERE" -> Level.SEVERE;
      case "WARN", "WARNING" -> Level.WARNING;
      case "INFO" -> Level.INFO;
      case "DEBUG", "FINE" -> Level.FINE;
      case "TRACE", "FINEST", "ALL" -> Level.FINEST;
      case "OFF" -> Level.OFF;
      default -> throw new IllegalArgumentException(
          "log level '" + level + "' is not one of ERROR, WARN, INFO, DEBUG, TRACE, OFF");
    };
  }

  public void info(String event, Object... kv) {
    log(Level.INFO, event, null, kv);
  }

  public void warn(String event, Object... kv) {
    log(Level.WARNING, event, null, kv);
  }

  public void warn(String event, Throwable error, Object... kv) {
    log(Level.WARNING, event, error, kv);
  }

  public void error(String event, Throwable error, Object... kv) {
    log(Level.SEVERE, event, error, kv);
  }

  public void debug(String event, Object... kv) {
    log(Level.FINE, event, null, kv);
  }

  private void log(Level level, String event, Throwable error, Object... kv) {
    if (level.intValue() < threshold.intValue() || threshold == Level.OFF) {
      return;
    }
    StringBuilder sb = new StringBuilder("logger=").append(name).append(" event=").append(event);
    for (int i = 0; i + 1 < kv.length; i += 2) {
      sb.append(' ').append(kv[i]).append('=').append(quote(String.valueOf(kv[i + 1])));
    }
    if (error != null) {
      sb.append(" error=").append(quote(error.getClass().getSimpleName() + ": " + error.getMessage()));
    }
    LogRecord r = new LogRecord(level, sb.toString());
    r.setLoggerName(logger.getName());
    if (error != null && Level.FINE.intValue() >= threshold.intValue()) {
      r.setThrown(error);
    }
    String line = FORMATTER.format(r);
    PrintStream out = sink;
    synchronized (out) {
      out.print(line);
      out.flush();
    }
  }

  /** A value as it appears in a line: bare if safe, else double-quoted with escapes. */
  static String quote(String v) {
    boolean plain = !v.isEmpty();
    for (int i = 0; i < v.length() && plain; i++) {
      char c = v.charAt(i);
      plain = c > ' ' && c < 127 && c != '"' && c != '=' && c != '\\';
    }
    if (plain) {
      return v;
    }
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          // C0 and C1 controls, and the Unicode line and paragraph separators: some readers break lines there.
          // Surrogates too, so that a lone one (which UTF-8 cannot carry) is logged as what it was.
          if (c < ' ' || c >= 127 && c <= 159 || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** ts=... level=... then the message; records from other libraries get logger= and msg=. */
  static final class KeyValueFormatter extends Formatter {
    @Override
    public String format(LogRecord r) {
      String level = r.getLevel() == Level.SEVERE ? "ERROR" : r.getLevel() == Level.WARNING ? "WARN"
          : r.getLevel().intValue() < Level.INFO.intValue() ? "DEBUG" : r.getLevel().getName();
      String msg = formatMessage(r);
      String body = r.getLoggerName() != null && r.getLoggerName().startsWith("org.dialtone.")
          ? msg : "logger=" + quote(String.valueOf(r.getLoggerName())) + " msg=" + quote(String.valueOf(msg));
      StringBuilder sb = new StringBuilder("ts=").append(Instant.ofEpochMilli(r.getMillis()))
          .append(" level=").append(level).append(' ').append(body).append('\n');
      if (r.getThrown() != null) {
        java.io.StringWriter w = new java.io.StringWriter();
        r.getThrown().printStackTrace(new java.io.PrintWriter(w));
        sb.append(w);
      }
      return sb.toString();
    }
  }
}
