package org.dialtone.agent.webrtc;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.dialtone.agent.webrtc.rtc.RtcChannel;
import org.dialtone.dht.crypto.PublicKey;

/**
 * A chat with a browser over a WebRTC data channel: each text message is one line, as the web page sends and shows
 * them. The peer's key is the one that signed the offer or answer, whose description fixed the DTLS fingerprint of
 * this channel.
 */
public final class BrowserChat {
  private final PublicKey peer;
  private final RtcChannel channel;
  private final long millis;
  private final boolean called;

  BrowserChat(PublicKey peer, RtcChannel channel, long millis, boolean called) {
    this.peer = peer;
    this.channel = channel;
    this.millis = millis;
    this.called = called;
  }

  /** The browser agent's key. */
  public PublicKey peer() {
    return peer;
  }

  /** Milliseconds from the offer made (this agent called) or received (the browser called) to the channel open. */
  public long millis() {
    return millis;
  }

  /** True when this agent called the browser; false when the browser called. */
  public boolean called() {
    return called;
  }

  /** Every text message from the browser, unfiltered (see {@code ChatText.incoming} before showing it). */
  public void onMessage(Consumer<String> handler) {
    channel.onText(handler);
  }

  /** Completes when the channel closes. */
  public CompletableFuture<Void> closed() {
    return channel.closed();
  }

  /**
   * Sends one message.
   *
   * @return false when it was not sent (the channel is closed, or too much waits in its buffer)
   */
  public boolean send(String text) {
    return channel.send(text);
  }

  /** Closes the channel and its connection. */
  public void close() {
    channel.close();
  }

  @Override
  public String toString() {
    return "BrowserChat[" + peer.toHex().substring(0, 16) + "]";
  }
}
