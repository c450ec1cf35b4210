package org.dialtone.agent.reach.signal;

import java.util.Optional;

/** The transport the two sides will speak once a path is open; it says how to read the payload. */
public enum SignalTransport {
  /** QUIC on the punched (or relayed) UDP socket; candidates are addresses, the payload is empty. */
  QUIC(1),
  /** A WebRTC data channel (browsers); the payload is the SDP offer or answer, candidates may trickle in it. */
  WEBRTC(2);

  private final int code;

  SignalTransport(int code) {
    this.code = code;
  }

  /** The wire byte. */
  public int code() {
    return code;
  }

  /** The transport with this wire byte. */
  public static Optional<SignalTransport> ofCode(int code) {
    for (SignalTransport t : values()) {
      if (t.code == code) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
