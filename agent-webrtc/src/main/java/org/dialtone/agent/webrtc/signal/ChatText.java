package org.dialtone.agent.webrtc.signal;

import java.util.Optional;

/**
 * The web page's chat over a data channel: each text message is one line of chat (UTF-8), nothing else; the page
 * shows at most {@value #MAX_CHARS} characters of one. Binary messages are not chat.
 */
public final class ChatText {
  /** The longest line, in characters: what the page shows of a message. */
  public static final int MAX_CHARS = 500;

  private ChatText() {}

  /**
   * A line from a browser as it may be shown on a terminal: control characters (an escape sequence could rewrite the
   * screen) become spaces, and it is cut at {@value #MAX_CHARS} characters as the page cuts it. Empty when nothing
   * is left.
   */
  public static Optional<String> incoming(String text) {
    String cut = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
    StringBuilder out = new StringBuilder(cut.length());
    cut.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    String line = out.toString().strip();
    return line.isEmpty() ? Optional.empty() : Optional.of(line);
  }

  /**
   * A line to send: not empty, at most {@value #MAX_CHARS} characters.
   *
   * @throws IllegalArgumentException for an empty line or a longer one (the page would cut it)
   */
  public static String outgoing(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("an empty line is not sent");
    }
    if (text.length() > MAX_CHARS) {
      throw new IllegalArgumentException("a chat line is at most " + MAX_CHARS + " characters, this one "
          + text.length());
    }
    return text;
  }
}
