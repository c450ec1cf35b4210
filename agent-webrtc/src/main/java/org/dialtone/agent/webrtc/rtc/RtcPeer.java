package org.dialtone.agent.webrtc.rtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One peer connection with one data channel, as the page makes them: the caller opens a channel named
 * {@value #CHANNEL_LABEL}, every candidate is gathered before the description is handed out (no trickle: one signal
 * each way), at most {@value #GATHER_MILLIS} ms, as the page waits.
 */
public final class RtcPeer implements AutoCloseable {
  /** The page's data channel label. */
  public static final String CHANNEL_LABEL = "dialtone";
  /** How long gathering may take before the description goes with what was found (the page's 5 s). */
  public static final long GATHER_MILLIS = 5_000;

  private final ScheduledExecutorService worker;
  private final RTCPeerConnection pc;
  private final CompletableFuture<Void> gathered = new CompletableFuture<>();
  private final CompletableFuture<RtcChannel> channel = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  RtcPeer(PeerConnectionFactory factory, RTCConfiguration config, ScheduledExecutorService worker) {
    this.worker = worker;
    this.pc = factory.createPeerConnection(config, new PeerConnectionObserver() {
      @Override
      public void onIceCandidate(RTCIceCandidate candidate) {
        // gathered into the local description; sent with it once gathering is complete
      }

      @Override
      public void onIceGatheringChange(RTCIceGatheringState state) {
        if (state == RTCIceGatheringState.COMPLETE) {
          worker.execute(() -> gathered.complete(null));
        }
      }

      @Override
      public void onConnectionChange(RTCPeerConnectionState state) {
        if (state == RTCPeerConnectionState.FAILED) {
          worker.execute(() -> channel.completeExceptionally(new IllegalStateException("ICE_FAILED: no path to the "
              + "peer")));
        }
      }

      @Override
      public void onDataChannel(RTCDataChannel dc) {
        RtcChannel c = new RtcChannel(dc, worker, RtcPeer.this::close);
        c.whenOpen().thenAccept(channel::complete);
      }
    });
    worker.schedule(() -> gathered.complete(null), GATHER_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Answers a caller's offer: the local answer, candidates included, once gathered. */
  public CompletableFuture<String> answer(String offerSdp) {
    return apply(new RTCSessionDescription(RTCSdpType.OFFER, offerSdp), false)
        .thenCompose(v -> describe(false))
        .thenCompose(d -> apply(d, true))
        .thenCompose(v -> gathered)
        .thenApplyAsync(v -> pc.getLocalDescription().sdp, worker);
  }

  /** Calls: opens the data channel and makes the offer, candidates included, once gathered. */
  public CompletableFuture<String> offer() {
    RTCDataChannelInit init = new RTCDataChannelInit();
    init.ordered = true;
    RtcChannel c = new RtcChannel(pc.createDataChannel(CHANNEL_LABEL, init), worker, this::close);
    c.whenOpen().thenAccept(channel::complete);
    return describe(true)
        .thenCompose(d -> apply(d, true))
        .thenCompose(v -> gathered)
        .thenApplyAsync(v -> pc.getLocalDescription().sdp, worker);
  }

  /** Takes the callee's answer to {@link #offer()}. */
  public CompletableFuture<Void> accept(String answerSdp) {
    return apply(new RTCSessionDescription(RTCSdpType.ANSWER, answerSdp), false);
  }

  /** The data channel, once open; fails when ICE finds no path. */
  public CompletableFuture<RtcChannel> channel() {
    return channel;
  }

  /** Closes the connection (and its channel). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      channel.completeExceptionally(new IllegalStateException("CLOSED: the connection closed"));
      worker.execute(pc::close);
    }
  }

  private CompletableFuture<RTCSessionDescription> describe(boolean offer) {
    CompletableFuture<RTCSessionDescription> f = new CompletableFuture<>();
    CreateSessionDescriptionObserver observer = new CreateSessionDescriptionObserver() {
      @Override
      public void onSuccess(RTCSessionDescription d) {
        worker.execute(() -> f.complete(d));
      }

      @Override
      public void onFailure(String error) {
        worker.execute(() -> f.completeExceptionally(new IllegalStateException("BAD_DESCRIPTION: " + error)));
      }
    };
    worker.execute(() -> {
      if (offer) {
        pc.createOffer(new RTCOfferOptions(), observer);
      } else {
        pc.createAnswer(new RTCAnswerOptions(), observer);
      }
    });
    return f;
  }

  private CompletableFuture<Void> apply(RTCSessionDescription d, boolean local) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    SetSessionDescriptionObserver observer = new SetSessionDescriptionObserver() {
      @Override
      public void onSuccess() {
        worker.execute(() -> f.complete(null));
      }

      @Override
      public void onFailure(String error) {
        worker.execute(() -> f.completeExceptionally(new IllegalStateException("BAD_DESCRIPTION: " + error)));
      }
    };
    worker.execute(() -> {
      if (local) {
        pc.setLocalDescription(d, observer);
      } else {
        pc.setRemoteDescription(d, observer);
      }
    });
    return f;
  }
}
