package org.dialtone.agent.wire;

import java.util.Optional;

/** The frame types of an established connection (inside the encrypted channel). */
public enum FrameType {
  /** Server to client, first frame: the handshake is accepted. Stream 0, empty body. */
  ACCEPT(0x00),
  /** Opens a stream to a named service; body: the service name in UTF-8. */
  OPEN(0x01),
  /** Bytes on a stream. */
  DATA(0x02),
  /** The sender will send no more on the stream; body: service-defined (files: the SHA-256). */
  END(0x03),
  /** The stream (or, on stream 0, the connection) failed; body: u16 error close code, UTF-8 message. */
  ERROR(0x04),
  /** Gossip, stream 0: the sender's digest. */
  GOSSIP_DIGEST(0x10),
  /** Gossip, stream 0: records the digest's sender lacks, and the ids the replier wants. */
  GOSSIP_OFFER(0x11),
  /** Gossip, stream 0: the records asked for. */
  GOSSIP_RECORDS(0x12);

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  /** The wire byte. */
  public int code() {
    return code;
  }

  /** The type with this wire byte. */
  public static Optional<FrameType> of(int code) {
    for (FrameType t : values()) {
      if (t.code == code) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
