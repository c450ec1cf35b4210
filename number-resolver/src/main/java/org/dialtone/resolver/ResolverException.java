package org.dialtone.resolver;

import java.util.Objects;
import java.util.Optional;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;

/** What the resolver's futures fail with. Switch on {@link #code()}; the message is for people. */
public class ResolverException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ResolverError code;

  /** An exception with a code and a message. */
  public ResolverException(ResolverError code, String message) {
    super(code + ": " + message);
    this.code = Objects.requireNonNull(code);
  }

  /** An exception with a code, a message and a cause. */
  public ResolverException(ResolverError code, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = Objects.requireNonNull(code);
  }

  /** The stable code. */
  public ResolverError code() {
    return code;
  }

  /** For {@link ResolverError#DHT_FAILURE}: the DHT's own code ({@code TIMEOUT}, {@code NOT_STORED}...). */
  public Optional<ErrorCode> dhtCode() {
    return getCause() instanceof DhtException e ? Optional.of(e.code()) : Optional.empty();
  }
}
