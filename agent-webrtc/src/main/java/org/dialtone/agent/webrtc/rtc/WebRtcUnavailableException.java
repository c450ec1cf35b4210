package org.dialtone.agent.webrtc.rtc;

/** libwebrtc cannot run here: its native library did not load. The message says what to install, on one line. */
public final class WebRtcUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  /** With the one-line message and the loader's error. */
  public WebRtcUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
