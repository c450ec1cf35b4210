package org.dialtone.dht.api;

import java.util.Objects;
import org.dialtone.dht.error.ErrorCode;

/**
 * Why a node refused a SIGNAL: a stable code ({@link ErrorCode#NOT_ATTACHED}, {@link ErrorCode#BAD_SIGNATURE},
 * {@link ErrorCode#EXPIRED}, {@link ErrorCode#RATE_LIMITED}, ...) and a short message for people.
 */
public record SignalRefusal(ErrorCode code, String message) {
  public SignalRefusal {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }
}
