package org.dialtone.resolver;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.DialtoneException;
import org.dialtone.dht.error.ErrorCode;

/** What the resolver's futures fail with. Switch on {@link #code()}; the message is for people. */
public class ResolverException extends DialtoneException {
  private static final long serialVersionUID = 1L;

  private final ResolverError code;

  /** An exception with a code and a message. */
  public ResolverException(ResolverError code, String message) {
    super(Objects.requireNonNull(code, "code"), message);
    this.code = code;
  }

  /** An exception with a code, a message and a cause. */
  public ResolverException(ResolverError code, String message, Throwable cause) {
    super(Objects.requireNonNull(code, "code"), message, cause);
    this.code = code;
  }

  /** The stable code. */
  @Override
  public ResolverError code() {
    return code;
  }

  /**
   * What a resolver future fails with when {@code failure} went wrong: a {@link ResolverException} as it is, a
   * {@link DhtException} as {@link ResolverError#DHT_FAILURE} (its code kept as {@link #dhtCode()}), anything else as
   * {@link ResolverError#INTERNAL}. Unwraps {@link CompletionException}s first.
   */
  static ResolverException of(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ResolverException r) {
      return r;
    }
    if (cause instanceof DhtException d) {
      return new ResolverException(ResolverError.DHT_FAILURE, d.getMessage(), d);
    }
    return new ResolverException(ResolverError.INTERNAL, String.valueOf(cause), cause);
  }

  /** For {@link ResolverError#DHT_FAILURE}: the DHT's own code ({@code TIMEOUT}, {@code NOT_STORED}...). */
  public Optional<ErrorCode> dhtCode() {
    return getCause() instanceof DhtException e ? Optional.of(e.code()) : Optional.empty();
  }
}
