package org.dialtone.node.gateway;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.resolver.ResolverError;
import org.dialtone.resolver.ResolverException;
import org.dialtone.resolver.number.InvalidNumberException;

/**
 * A failure as the gateway reports it: an HTTP status, a stable code, a one-line message and, for bad numbers, the
 * parser's reason. The same mapping gives the CLI its one-line errors.
 */
public record ApiError(int status, String code, String message, String reason) {

  public static ApiError badRequest(String code, String message) {
    return new ApiError(400, code, message, null);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, "NOT_FOUND", message, null);
  }

  public static ApiError notReady() {
    return new ApiError(503, "NOT_READY", "the node has not bootstrapped yet", null);
  }

  /** Maps whatever an operation failed with. */
  public static ApiError of(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof InvalidNumberException bad) {
      return new ApiError(400, "INVALID_NUMBER", bad.getMessage(), bad.reason().name());
    }
    if (e instanceof ResolverException re) {
      if (re.code() == ResolverError.NOT_FOUND) {
        return notFound(re.getMessage());
      }
      if (re.dhtCode().isPresent()) {
        return dht(re.dhtCode().get(), re.getMessage());
      }
      int status = switch (re.code()) {
        case CLOSED -> 503;
        case INTERNAL -> 500;
        default -> 502;
      };
      return new ApiError(status, re.code().name(), re.getMessage(), null);
    }
    if (e instanceof DhtException de) {
      return dht(de.code(), de.getMessage());
    }
    if (e instanceof IllegalArgumentException iae) {
      return badRequest("BAD_REQUEST", iae.getMessage());
    }
    return new ApiError(500, "INTERNAL", e.getClass().getSimpleName() + ": " + e.getMessage(), null);
  }

  private static ApiError dht(ErrorCode code, String message) {
    int status = switch (code) {
      case TIMEOUT -> 504;
      case BOOTSTRAP_FAILED, CLOSED -> 503;
      default -> 502;
    };
    return new ApiError(status, code.name(), message, null);
  }

  public static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
