package org.dialtone.agent.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;

/**
 * One frame of an established connection: type (1 byte), stream id (4 bytes, big-endian), body. Streams opened by
 * the dialling side are odd, by the listening side even; 0 is the connection itself (accept, gossip, errors).
 *
 * @param type the frame type
 * @param stream the stream id
 * @param body at most {@link #MAX_BODY} bytes
 */
public record Frame(FrameType type, int stream, byte[] body) {
  /** The largest body: 64 KiB, the file chunk size. */
  public static final int MAX_BODY = 64 * 1024;
  /** Header bytes before the body. */
  public static final int HEADER = 5;
  /** The largest encoded frame. */
  public static final int MAX_ENCODED = HEADER + MAX_BODY;

  public Frame {
    Objects.requireNonNull(type);
    if (body.length > MAX_BODY) {
      throw new AgentException(AgentError.FRAME_TOO_LARGE, "frame body of " + body.length + " bytes");
    }
  }

  /** An ERROR frame carrying {@code code} and a message. */
  public static Frame error(int stream, AgentError code, String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    byte[] body = ByteBuffer.allocate(2 + Math.min(text.length, 1024)).putShort(code.closeCode())
        .put(text, 0, Math.min(text.length, 1024)).array();
    return new Frame(FrameType.ERROR, stream, body);
  }

  /** For an ERROR frame: its code. */
  public AgentError errorCode() {
    return body.length < 2 ? AgentError.MALFORMED_FRAME : AgentError.ofCloseCode(ByteBuffer.wrap(body).getShort());
  }

  /** For an ERROR frame: its message. */
  public String errorMessage() {
    return body.length < 2 ? "" : new String(body, 2, body.length - 2, StandardCharsets.UTF_8);
  }

  /** The body as UTF-8 text. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The wire form. */
  public byte[] encode() {
    return ByteBuffer.allocate(HEADER + body.length).put((byte) type.code()).putInt(stream).put(body).array();
  }

  /**
   * Parses a frame, size first.
   *
   * @throws AgentException FRAME_TOO_LARGE or MALFORMED_FRAME
   */
  public static Frame decode(byte[] bytes) {
    if (bytes.length > MAX_ENCODED) {
      throw new AgentException(AgentError.FRAME_TOO_LARGE, "frame of " + bytes.length + " bytes");
    }
    if (bytes.length < HEADER) {
      throw new AgentException(AgentError.MALFORMED_FRAME, "frame of " + bytes.length + " bytes");
    }
    FrameType type = FrameType.of(bytes[0] & 0xff).orElseThrow(
        () -> new AgentException(AgentError.MALFORMED_FRAME, "unknown frame type " + (bytes[0] & 0xff)));
    int stream = ByteBuffer.wrap(bytes, 1, 4).getInt();
    if (stream < 0) {
      throw new AgentException(AgentError.MALFORMED_FRAME, "negative stream id");
    }
    return new Frame(type, stream, Arrays.copyOfRange(bytes, HEADER, bytes.length));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Frame f && f.type == type && f.stream == stream && Arrays.equals(f.body, body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, stream, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return type + "#" + stream + "(" + body.length + " bytes)";
  }
}
