package org.dialtone.node.gateway;

import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The values a request carries in its path and query, decoded strictly: a bad one is an
 * {@link IllegalArgumentException} whose message says what is wrong, with the client's text clipped and escaped.
 */
final class RequestParams {
  private RequestParams() {}

  /** The one path segment after {@code prefix}, percent-decoded ({@code +} stays a plus). */
  static String segment(String path, String prefix) {
    String raw = path.substring(prefix.length());
    if (raw.isEmpty() || raw.contains("/")) {
      throw new IllegalArgumentException("expected " + prefix + "{value}, got " + LogSafe.clip(path));
    }
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + LogSafe.clip(raw) + "' is not valid percent-encoding (a '%' must "
          + "be followed by two hex digits)");
    }
  }

  /** The query parameter {@code param}, required, as a word ({@link Inputs#word}). */
  static String word(HttpServerRequest req, String param) {
    String v;
    try {
      v = req.getParam(param);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the query string is not valid percent-encoding (a '%' must be followed "
          + "by two hex digits)");
    }
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("missing query parameter '" + param + "'");
    }
    try {
      return Inputs.word(param, v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(param + " '" + LogSafe.clip(v) + "' is not a lowercase word of 1..32 "
          + "characters [a-z0-9._-]");
    }
  }
}
