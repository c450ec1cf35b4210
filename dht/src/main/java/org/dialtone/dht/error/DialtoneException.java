package org.dialtone.dht.error;

/**
 * The one shape of Dialtone's typed failures: every module's futures fail with a subclass that carries a stable
 * {@linkplain #code() code} (an enum of that module: {@link ErrorCode} for the DHT, {@code ResolverError},
 * {@code AgentError}). Callers switch on the code; the message, which starts with the code's name, is for people.
 * Catch {@code DialtoneException} to handle any module's failure in one place.
 */
public abstract class DialtoneException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The stable code of a failure: implemented by each module's code enum. */
  public interface Code {
    /** The code's stable name (the enum constant's name). */
    String name();
  }

  /** An exception whose message is {@code "CODE: message"}. */
  protected DialtoneException(Code code, String message) {
    super(code.name() + ": " + message);
  }

  /** An exception whose message is {@code "CODE: message"}, with a cause. */
  protected DialtoneException(Code code, String message, Throwable cause) {
    super(code.name() + ": " + message, cause);
  }

  /** The stable code; subclasses narrow it to their module's enum. */
  public abstract Code code();
}
