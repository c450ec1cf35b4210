package org.dialtone.node.gateway;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every answer of the gateway as JSON, errors included ({@code {"error": CODE, "message": ...}}), also those the HTTP
 * decoder refuses before a handler runs. A request answered already is left alone.
 */
final class JsonReplies {
  private JsonReplies() {}

  /** Answers {@code e} with its status. */
  static void reply(HttpServerRequest req, ApiError e) {
    json(req, e.status(), JsonViews.error(e.code(), e.message(), e.reason()));
  }

  /** Answers {@code body} as JSON with {@code status}. */
  static void json(HttpServerRequest req, int status, Object body) {
    if (req.response().ended()) {
      return;
    }
    req.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
        .end(JsonViews.write(body) + "\n");
  }

  /** 414: the request URI is over {@code maxUri} characters. */
  static ApiError uriTooLong(int maxUri) {
    return new ApiError(414, "URI_TOO_LONG", "the request URI is over " + maxUri + " characters", null);
  }

  /**
   * What the HTTP decoder refused (a request line or headers too long, a malformed request), answered as JSON and
   * the connection closed.
   */
  static void decoderRefused(HttpServerRequest req, int maxUri, int maxHeaders) {
    Throwable cause = req.decoderResult() == null ? null : req.decoderResult().cause();
    ApiError e;
    if (cause instanceof TooLongHttpLineException) {
      e = uriTooLong(maxUri);
    } else if (cause instanceof TooLongHttpHeaderException) {
      e = new ApiError(431, "HEADERS_TOO_LARGE", "the request headers are over " + maxHeaders + " bytes", null);
    } else {
      e = ApiError.badRequest("BAD_REQUEST", "a malformed HTTP request"
          + (cause == null ? "" : " (" + LogSafe.clip(String.valueOf(cause.getMessage())) + ")"));
    }
    req.response().putHeader("connection", "close");
    reply(req, e);
  }
}
