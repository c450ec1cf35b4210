package org.dialtone.node.cli;

/**
 * A command's failure as the user sees it: one line, {@code CODE: message}, and an exit code (2 for bad input, 1
 * for an operation that failed).
 */
public final class CliError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  private final String code;
  private final int exitCode;

  public CliError(String code, String message, int exitCode) {
    super(message);
    this.code = code;
    this.exitCode = exitCode;
  }

  public String code() {
    return code;
  }

  public int exitCode() {
    return exitCode;
  }

  /** {@code CODE: message} on one line (newlines in the message become spaces). */
  public String line() {
    return code + ": " + String.valueOf(getMessage()).replaceAll("[\\r\\n]+", " ");
  }
}
