package org.dialtone.node.gateway;

/** Client input made safe to echo in an answer or a log line: at most 64 characters, anything unprintable escaped. */
final class LogSafe {
  private LogSafe() {}

  static String clip(String s) {
    String c = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    StringBuilder sb = new StringBuilder();
    for (char ch : c.toCharArray()) {
      sb.append(ch >= ' ' && ch < 127 ? String.valueOf(ch) : String.format("\\u%04x", (int) ch));
    }
    return sb.toString();
  }
}
