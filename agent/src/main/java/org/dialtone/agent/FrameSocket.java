package org.dialtone.agent;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.agent.secure.FrameCipher;
import org.dialtone.agent.secure.SessionKeys;
import org.dialtone.agent.wire.Frame;
import org.dialtone.agent.wire.FrameType;

/**
 * A connection's WebSocket as a carrier of sealed frames: seals and writes each frame, opens and parses each message
 * (too large, undecryptable or malformed is a typed {@link AgentException}), and exposes the socket's backpressure
 * (send queue full, drain waiters, reading paused). Everything runs on the connection's Vert.x context.
 */
final class FrameSocket {
  private final Context context;
  private final WebSocketBase ws;
  private final FrameCipher sealer;
  private final FrameCipher opener;
  private final List<Runnable> drainWaiters = new ArrayList<>();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong drains = new AtomicLong();
  private int paused;

  FrameSocket(Context context, WebSocketBase ws, SessionKeys keys) {
    this.context = context;
    this.ws = ws;
    this.sealer = keys.sealer();
    this.opener = keys.opener();
  }

  /** The socket's close code and reason, once closed. */
  WebSocketBase socket() {
    return ws;
  }

  /** Seals and writes one frame, unless the socket is closed. */
  void send(FrameType type, int stream, byte[] body) {
    onContext(() -> {
      if (!ws.isClosed()) {
        byte[] sealed = sealer.seal(new Frame(type, stream, body).encode());
        bytesSent.addAndGet(sealed.length);
        ws.writeBinaryMessage(Buffer.buffer(sealed));
      }
    });
  }

  /** Sends an ERROR frame on {@code stream} (0: the connection's own). */
  void sendError(int stream, AgentError code, String message) {
    send(FrameType.ERROR, stream, Frame.error(stream, code, message).body());
  }

  /** The frame in one received message; fails with FRAME_TOO_LARGE, a decryption error, or MALFORMED_FRAME. */
  Frame open(byte[] sealed) {
    if (sealed.length > Frame.MAX_ENCODED + FrameCipher.TAG_BYTES) {
      throw new AgentException(AgentError.FRAME_TOO_LARGE, "message of " + sealed.length + " bytes");
    }
    return Frame.decode(opener.open(sealed));
  }

  /** Runs every writer parked by {@link #whenDrained} (the socket's drain handler). */
  void drained() {
    drains.incrementAndGet();
    List<Runnable> waiting = List.copyOf(drainWaiters);
    drainWaiters.clear();
    waiting.forEach(Runnable::run);
  }

  boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  /** How many times the send queue has drained (the socket's drain handler ran). */
  long drains() {
    return drains.get();
  }

  boolean isClosed() {
    return ws.isClosed();
  }

  /** Runs {@code r} once the send queue drains (on the connection's thread). */
  void whenDrained(Runnable r) {
    onContext(() -> { // on the context, after every write handed over before this call
      if (!ws.writeQueueFull()) {
        r.run();
      } else {
        drainWaiters.add(r);
      }
    });
  }

  /** Writers parked until the send queue drains. */
  int drainWaiters() {
    return drainWaiters.size();
  }

  /** Bytes of sealed frames handed to the socket so far (queued or sent). */
  long bytesSent() {
    return bytesSent.get();
  }

  /** Stops reading until as many {@link #resumeReading()} calls. */
  void pauseReading() {
    onContext(() -> {
      if (paused++ == 0) {
        ws.pause();
      }
    });
  }

  void resumeReading() {
    onContext(() -> {
      if (paused > 0 && --paused == 0) {
        ws.resume();
      }
    });
  }

  /** Runs {@code r} on the connection's context: now when already there. */
  void onContext(Runnable r) {
    if (Vertx.currentContext() == context) {
      r.run();
    } else {
      context.runOnContext(v -> r.run());
    }
  }

  /** {@code s} cut to 100 characters: what a close reason or an error message carries of peer-chosen text. */
  static String truncate(String s) {
    return s.length() > 100 ? s.substring(0, 100) : s;
  }
}
