package org.dialtone.agent.error;

import org.dialtone.dht.error.DialtoneException;

/**
 * Stable codes of {@link AgentException}. Each has a WebSocket close code (4000..4099), so the side that refuses a
 * connection tells the other why, and the other's future fails with the same code.
 */
public enum AgentError implements DialtoneException.Code {
  /** Nothing is hosted on the number, or the agent has no {@code ws://} endpoint. */
  NOT_FOUND(4000),
  /** The peer's handshake message was malformed or of an unknown version. */
  BAD_HANDSHAKE(4001),
  /** A handshake signature did not verify: a man in the middle, a replayed message, or a forged key. */
  BAD_SIGNATURE(4002),
  /** The peer proved a key other than the one in the signed record that was dialled (a stale endpoint, a MITM). */
  WRONG_KEY(4003),
  /** A frame over the size limit. */
  FRAME_TOO_LARGE(4004),
  /** A frame that does not parse. */
  MALFORMED_FRAME(4005),
  /** A frame that failed to decrypt or authenticate: tampering, or a replayed or reordered frame. */
  DECRYPT_FAILED(4006),
  /** The handshake did not finish in time, or the connection was idle too long. */
  TIMEOUT(4007),
  /** The server is at its connection limit. */
  TOO_MANY_CONNECTIONS(4008),
  /** Plaintext was asked for where it is not allowed (not loopback, or not enabled on the server). */
  PLAINTEXT_REFUSED(4009),
  /** The peer has no such service (an error frame on that stream; the connection stays up). */
  UNKNOWN_SERVICE(4010),
  /** A file arrived with a different SHA-256 or size than announced. */
  FILE_CORRUPT(4011),
  /** The connection or agent is closed, or the socket failed. */
  CLOSED(4012),
  /** The number resolver failed (see the cause). */
  RESOLVER_FAILURE(4013),
  /** A quota of the receiving service is spent: bytes in total or per peer, streams at once, or free disk space. */
  QUOTA_EXCEEDED(4014),
  /** The peer's key is not on the service's allowlist. */
  NOT_ALLOWED(4015),
  /**
   * Several agents host the number and none was chosen: the exception lists them ({@link AmbiguousHostException}).
   */
  AMBIGUOUS_HOST(4016),
  /**
   * The number's host proves a key other than the one this agent trusted for it on an earlier connection (trust on
   * first use, as SSH's known_hosts): refused until the user accepts the new key.
   */
  HOST_KEY_CHANGED(4017),
  /**
   * A relay refused a circuit or reservation (no reservation for that key, a limit, a rate limit, the host did not
   * take the circuit in time); the close reason names the refusal.
   */
  RELAY_REFUSED(4018),
  /** A relay closed the circuit at its byte or time limit. */
  RELAY_LIMIT(4019);

  private final int closeCode;

  AgentError(int closeCode) {
    this.closeCode = closeCode;
  }

  /** The WebSocket close status code that carries this error. */
  public short closeCode() {
    return (short) closeCode;
  }

  /** The error a close status code carries, {@link #CLOSED} for any other code. */
  public static AgentError ofCloseCode(Short code) {
    if (code != null) {
      for (AgentError e : values()) {
        if (e.closeCode == code) {
          return e;
        }
      }
    }
    return CLOSED;
  }
}
