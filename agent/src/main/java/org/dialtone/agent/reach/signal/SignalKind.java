package org.dialtone.agent.reach.signal;

import java.util.Optional;

/** What a signal asks or says. */
public enum SignalKind {
  /** Dialler to host: connect to me; here are my NAT type and candidates (or my WebRTC offer). */
  REQUEST(1),
  /** Host to dialler, same session: accepted with my candidates (or my WebRTC answer), or refused with a reason. */
  ANSWER(2),
  /**
   * Dialler to host, same session, as DCUtR's SYNC: the dialler measured the request/answer round trip and starts
   * probing half of it after sending this; the host starts probing when it arrives.
   */
  SYNC(3);

  private final int code;

  SignalKind(int code) {
    this.code = code;
  }

  /** The wire byte. */
  public int code() {
    return code;
  }

  /** The kind with this wire byte. */
  public static Optional<SignalKind> ofCode(int code) {
    for (SignalKind k : values()) {
      if (k.code == code) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
