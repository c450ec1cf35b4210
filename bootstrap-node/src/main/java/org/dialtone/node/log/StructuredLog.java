package org.dialtone.node.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Structured logs: one line per event on standard error, always, through java.util.logging; {@code key=value} pairs
 * by default, or one JSON object per line with {@code --log-format json}.
 *
 * <pre>ts=2026-11-24T02:30:00.123Z level=INFO logger=node event=node.ready id=3fa2c1d0 udp=127.0.0.1:7440</pre>
 *
 * A failure's whole cause chain goes on its line ({@code error="IOException: bind udp: BindException: Address
 * already in use"}), never a stack trace: a trace spans lines that log shippers split into unrelated events (a
 * refused watch once logged 17 of them). At DEBUG the line also names where the root cause was thrown
 * ({@code at=Class.method:line}). Values with spaces, quotes or '=' are quoted; control characters are escaped, so
 * a client's input can never forge a log line: control characters (C0, C1, U+2028, U+2029) and surrogates are
 * escaped in both formats ({@code StructuredLogTest} mounts the attacks).
 */
public final class StructuredLog {
  /** The line formats: {@code key=value} or JSON. */
  public enum Format { TEXT, JSON }

  // Our own events are written straight to the sink, not through a java.util.logging handler, so that they are not
  // lost when the JVM shuts down: LogManager resets its handlers in a shutdown hook of its own, which races with
  // ours (a SIGTERM's "node.stopped" must still be logged).
  private static volatile PrintStream sink = System.err;
  private static volatile Level threshold = Level.INFO;
  private static volatile Format format = Format.TEXT;

  private final Logger logger;
  private final String name;

  private StructuredLog(String name) {
    this.name = name;
    this.logger = Logger.getLogger("org.dialtone." + name);
  }

  /** A log named {@code name} (appears as {@code logger=name}). */
  public static StructuredLog of(String name) {
    return new StructuredLog(name);
  }

  /** {@link #configure(String, String, PrintStream)} with the text format. */
  public static void configure(String level, PrintStream out) {
    configure(level, "text", out);
  }

  /**
   * Routes every java.util.logging record (ours and the libraries') through one handler at {@code level}: one of
   * ERROR, WARN, INFO, DEBUG, TRACE (or the java.util.logging names), in {@code format} ({@code text} or
   * {@code json}). A bad level or format is an {@link IllegalArgumentException} naming the valid ones.
   */
  public static void configure(String level, String format, PrintStream out) {
    Level jul = parseLevel(level);
    Format f = parseFormat(format);
    sink = out;
    threshold = jul;
    StructuredLog.format = f;
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (isLoggable(r)) {
          write(library(r));
        }
      }

      @Override
      public void flush() {
        sink.flush();
      }

      @Override
      public void close() {
        flush();
      }
    };
    h.setLevel(jul);
    root.addHandler(h);
    root.setLevel(jul);
    // Library chatter (Vert.x, Netty) only from WARN up unless asked for DEBUG.
    LIBRARIES.setLevel(jul.intValue() <= Level.FINE.intValue() ? jul : Level.WARNING);
  }

  /**
   * For short commands run by people: Vert.x's "event loop blocked for 2,2xx ms" warnings (a loaded machine, the
   * JIT warming up) say nothing a user can act on, so they are kept for DEBUG. Nodes keep them.
   */
  public static void quietBlockedThreadWarnings() {
    if (threshold.intValue() > Level.FINE.intValue()) {
      BLOCKED_THREAD_CHECKER.setLevel(Level.SEVERE);
    }
  }

  // Held strongly: java.util.logging keeps loggers weakly, so a level set on one nobody holds is lost at the next GC.
  private static final Logger BLOCKED_THREAD_CHECKER = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
  private static final Logger LIBRARIES = Logger.getLogger("io");

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
          "--log-level '" + level + "' is not one of ERROR, WARN, INFO, DEBUG, TRACE, OFF");
    };
  }

  /** The --log-format value; fails with a message listing the valid ones. */
  public static Format parseFormat(String format) {
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "text", "kv", "logfmt" -> Format.TEXT;
      case "json" -> Format.JSON;
      default -> throw new IllegalArgumentException("--log-format '" + format + "' is not one of text, json");
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
    List<String[]> fields = new ArrayList<>();
    fields.add(new String[] {"logger", name});
    fields.add(new String[] {"event", event});
    for (int i = 0; i + 1 < kv.length; i += 2) {
      fields.add(new String[] {String.valueOf(kv[i]), String.valueOf(kv[i + 1])});
    }
    addError(fields, error);
    write(new Line(System.currentTimeMillis(), level, fields));
  }

  private static void addError(List<String[]> fields, Throwable error) {
    if (error == null) {
      return;
    }
    fields.add(new String[] {"error", causeChain(error)});
    if (Level.FINE.intValue() >= threshold.intValue()) {
      Throwable root = error;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      StackTraceElement[] trace = root.getStackTrace();
      if (trace.length > 0) {
        fields.add(new String[] {"at", trace[0].getClassName() + "." + trace[0].getMethodName() + ":"
            + trace[0].getLineNumber()});
      }
    }
  }

  /**
   * {@code Type: message: Cause: message: ...}: every exception in the chain once (a message that merely repeats
   * its cause's {@code toString()}, as wrappers do, is skipped), on one line.
   */
  public static String causeChain(Throwable error) {
    StringBuilder sb = new StringBuilder();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    Throwable e = error;
    while (e != null && seen.put(e, Boolean.TRUE) == null) {
      boolean wrapper = e instanceof java.util.concurrent.CompletionException
          || e instanceof java.util.concurrent.ExecutionException;
      String msg = e.getMessage();
      boolean echoesCause = e.getCause() != null && msg != null && msg.equals(e.getCause().toString());
      if (!(wrapper && e.getCause() != null) && !echoesCause) {
        if (sb.length() > 0) {
          sb.append(": ");
        }
        sb.append(e.getClass().getSimpleName());
        if (msg != null && !msg.isBlank()) {
          sb.append(": ").append(msg);
        }
      }
      e = e.getCause();
    }
    return sb.toString().replaceAll("[\\r\\n]+", " ");
  }

  /** One event, ready to be written in either format. */
  private record Line(long millis, Level level, List<String[]> fields) {}

  private static Line library(LogRecord r) {
    List<String[]> fields = new ArrayList<>();
    fields.add(new String[] {"logger", String.valueOf(r.getLoggerName())});
    String msg = r.getMessage();
    if (msg != null && r.getParameters() != null && r.getParameters().length > 0) {
      try {
        msg = java.text.MessageFormat.format(msg, r.getParameters());
      } catch (IllegalArgumentException e) {
        // keep the pattern as it is
      }
    }
    fields.add(new String[] {"msg", String.valueOf(msg)});
    addError(fields, r.getThrown());
    return new Line(r.getMillis(), r.getLevel(), fields);
  }

  private static void write(Line line) {
    String text = format == Format.JSON ? json(line) : text(line);
    PrintStream out = sink;
    synchronized (out) {
      out.print(text);
      out.flush();
    }
  }

  private static String levelName(Level l) {
    return l == Level.SEVERE ? "ERROR" : l == Level.WARNING ? "WARN"
        : l.intValue() < Level.INFO.intValue() ? "DEBUG" : l.getName();
  }

  static String text(Line line) {
    StringBuilder sb = new StringBuilder("ts=").append(Instant.ofEpochMilli(line.millis()))
        .append(" level=").append(levelName(line.level()));
    for (String[] kv : line.fields()) {
      sb.append(' ').append(kv[0]).append('=').append(quote(kv[1]));
    }
    return sb.append('\n').toString();
  }

  static String json(Line line) {
    StringBuilder sb = new StringBuilder("{\"ts\":\"").append(Instant.ofEpochMilli(line.millis()))
        .append("\",\"level\":\"").append(levelName(line.level())).append('"');
    for (String[] kv : line.fields()) {
      sb.append(',').append(escapedInQuotes(kv[0])).append(':').append(escapedInQuotes(kv[1]));
    }
    return sb.append("}\n").toString();
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
    return escapedInQuotes(v);
  }

  // Double-quoted, with the escapes both formats share (JSON's and key=value's are the same set).
  private static String escapedInQuotes(String v) {
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
}
