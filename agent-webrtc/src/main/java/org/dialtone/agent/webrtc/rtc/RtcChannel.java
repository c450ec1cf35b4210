package org.dialtone.agent.webrtc.rtc;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A data channel carrying text: messages that arrive before anyone listens are kept (at most
 * {@value #EARLY_MESSAGES}, then dropped), and a send is refused while {@value #MAX_BUFFERED} bytes wait in
 * libwebrtc's buffer (it closes a channel past 16 MiB). Handlers run on the engine's thread, one at a time.
 */
public final class RtcChannel {
  /** Text kept for a listener that is not there yet (the peer may speak the moment the channel opens). */
  static final int EARLY_MESSAGES = 256;
  /** Bytes waiting in libwebrtc's send buffer above which a send is refused. */
  static final long MAX_BUFFERED = 1 << 20;

  private final RTCDataChannel dc;
  private final Executor worker;
  private final Runnable closeConnection;
  private final CompletableFuture<RtcChannel> open = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final ArrayDeque<String> early = new ArrayDeque<>();
  private Consumer<String> onText;
  private long binaryIgnored;

  RtcChannel(RTCDataChannel dc, Executor worker, Runnable closeConnection) {
    this.dc = dc;
    this.worker = worker;
    this.closeConnection = closeConnection;
    dc.registerObserver(new RTCDataChannelObserver() {
      @Override
      public void onBufferedAmountChange(long previous) {
        // sends are refused above MAX_BUFFERED instead of waiting for a drain
      }

      @Override
      public void onStateChange() {
        RTCDataChannelState s = dc.getState();
        worker.execute(() -> {
          if (s == RTCDataChannelState.OPEN) {
            open.complete(RtcChannel.this);
          } else if (s == RTCDataChannelState.CLOSED) {
            open.completeExceptionally(new IllegalStateException("CLOSED: the channel closed before it opened"));
            closed.complete(null);
          }
        });
      }

      @Override
      public void onMessage(RTCDataChannelBuffer buffer) {
        boolean binary = buffer.binary;
        byte[] bytes = new byte[buffer.data.remaining()];
        buffer.data.get(bytes);
        worker.execute(() -> received(binary, bytes));
      }
    });
    if (dc.getState() == RTCDataChannelState.OPEN) {
      worker.execute(() -> open.complete(this));
    }
  }

  CompletableFuture<RtcChannel> whenOpen() {
    return open;
  }

  private void received(boolean binary, byte[] bytes) {
    if (binary) {
      binaryIgnored++;
      return;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (onText != null) {
      onText.accept(text);
    } else if (early.size() < EARLY_MESSAGES) {
      early.add(text);
    }
  }

  /** Hands every text message to {@code handler}, those that came before first. */
  public void onText(Consumer<String> handler) {
    worker.execute(() -> {
      onText = handler;
      while (!early.isEmpty()) {
        handler.accept(early.poll());
      }
    });
  }

  /** Completes when the channel closes. */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  /**
   * Sends one text message.
   *
   * @return false when it was not sent: the channel is not open, or too much waits in its buffer
   */
  public boolean send(String text) {
    if (dc.getState() != RTCDataChannelState.OPEN || dc.getBufferedAmount() > MAX_BUFFERED) {
      return false;
    }
    try {
      dc.send(new RTCDataChannelBuffer(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), false));
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** Binary messages received and ignored (they are not chat). */
  public long binaryIgnored() {
    return binaryIgnored;
  }

  /** Closes the channel and its connection. */
  public void close() {
    closeConnection.run();
  }
}
