package org.dialtone.resolver.record;

import java.util.List;
import java.util.regex.Pattern;

/** The size rules every record field obeys, checked when a value is made and when one is decoded. */
final class Limits {
  static final int MAX_NAME_CHARS = 64;
  static final int MAX_LIST = 16;
  static final int MAX_WORD_CHARS = 32;
  static final int MAX_ENDPOINTS = 4;
  static final int MAX_ENDPOINT_CHARS = 200;
  static final int MAX_NOTE_CHARS = 200;
  static final int MAX_SHARES = 8;
  private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9._-]{0," + (MAX_WORD_CHARS - 1) + "}");

  private Limits() {}

  /** Services and interests: lowercase words, so that "Files" and "files" are one index key. */
  static List<String> words(String what, List<String> words) {
    if (words.size() > MAX_LIST) {
      throw new IllegalArgumentException(what + ": at most " + MAX_LIST + " entries, got " + words.size());
    }
    for (String w : words) {
      if (!WORD.matcher(w).matches()) {
        throw new IllegalArgumentException(what + ": '" + w + "' is not a lowercase word of 1.." + MAX_WORD_CHARS
            + " characters [a-z0-9._-] starting with a letter or digit");
      }
    }
    return List.copyOf(words);
  }

  static String text(String what, String value, int max) {
    if (value.length() > max) {
      throw new IllegalArgumentException(what + ": at most " + max + " characters, got " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(what + ": control characters are not allowed");
      }
    }
    return value;
  }

  static List<String> endpoints(List<String> endpoints) {
    if (endpoints.size() > MAX_ENDPOINTS) {
      throw new IllegalArgumentException("endpoints: at most " + MAX_ENDPOINTS + ", got " + endpoints.size());
    }
    for (String e : endpoints) {
      text("endpoint", e, MAX_ENDPOINT_CHARS);
      if (!e.matches("[a-z][a-z0-9+.-]*://\\S+")) {
        throw new IllegalArgumentException("endpoint '" + e + "' is not a URL like ws://host:port");
      }
    }
    return List.copyOf(endpoints);
  }
}
