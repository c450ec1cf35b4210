package org.dialtone.spike;

import com.sun.management.OperatingSystemMXBean;
import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spike: two libwebrtc peer connections in one JVM (host candidates only, inside the namespace run.sh makes), a
 * reliable ordered data channel, 200 MiB through it. Prints the time from offer to an open channel, the throughput
 * and the process's CPU time (both ends). Properties: runs (5), chunk (message size, 16 KiB).
 */
public final class RtcSpike {
  static final long TOTAL = 200L << 20;
  static final int CHUNK = Integer.getInteger("chunk", 16 * 1024);
  /** libwebrtc closes a channel whose send buffer passes 16 MiB: the sender stays under 1 MiB. */
  static final long HIGH_WATER = 1 << 20;

  private RtcSpike() {}

  public static void main(String[] args) throws Exception {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    int runs = Integer.getInteger("runs", 5);
    PeerConnectionFactory factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
    for (int run = 0; run < runs; run++) {
      runOnce(run, factory, os);
    }
    factory.dispose();
    System.exit(0); // libwebrtc's native threads would keep the JVM alive
  }

  private static void runOnce(int run, PeerConnectionFactory factory, OperatingSystemMXBean os) throws Exception {
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    RTCConfiguration config = new RTCConfiguration(); // no STUN or TURN server: host candidates only
    CompletableFuture<RTCDataChannel> remoteChannel = new CompletableFuture<>();
    RTCPeerConnection[] pcs = new RTCPeerConnection[2];
    pcs[0] = factory.createPeerConnection(config, c -> {
      if (c != null) {
        pcs[1].addIceCandidate(c);
      }
    });
    pcs[1] = factory.createPeerConnection(config, new PeerConnectionObserver() {
      @Override
      public void onIceCandidate(RTCIceCandidate c) {
        if (c != null) {
          pcs[0].addIceCandidate(c);
        }
      }

      @Override
      public void onDataChannel(RTCDataChannel ch) {
        remoteChannel.complete(ch);
      }
    });
    RTCDataChannelInit init = new RTCDataChannelInit();
    init.ordered = true;
    RTCDataChannel ch = pcs[0].createDataChannel("agent", init);
    CompletableFuture<Void> open = new CompletableFuture<>();
    Semaphore drained = new Semaphore(0);
    ch.registerObserver(new RTCDataChannelObserver() {
      @Override
      public void onBufferedAmountChange(long previous) {
        drained.release();
      }

      @Override
      public void onStateChange() {
        if (ch.getState() == RTCDataChannelState.OPEN) {
          open.complete(null);
        }
      }

      @Override
      public void onMessage(RTCDataChannelBuffer b) {}
    });
    RTCSessionDescription offer = describe(pcs[0], true);
    apply(pcs[0], offer, true);
    apply(pcs[1], offer, false);
    RTCSessionDescription answer = describe(pcs[1], false);
    apply(pcs[1], answer, true);
    apply(pcs[0], answer, false);
    open.get(20, TimeUnit.SECONDS);
    long connectNanos = System.nanoTime() - t0;
    if (run == 0) {
      // What a signed signal would carry to bind the DTLS channel to the agent's key.
      System.out.println("answer " + answer.sdp.lines().filter(l -> l.startsWith("a=fingerprint")).findFirst()
          .orElse("has no fingerprint"));
    }
    RTCDataChannel rch = remoteChannel.get(10, TimeUnit.SECONDS);
    AtomicLong received = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    rch.registerObserver(new RTCDataChannelObserver() {
      @Override
      public void onBufferedAmountChange(long previous) {}

      @Override
      public void onStateChange() {}

      @Override
      public void onMessage(RTCDataChannelBuffer b) {
        if (received.addAndGet(b.data.remaining()) >= TOTAL) {
          done.countDown();
        }
      }
    });
    long cpu1 = os.getProcessCpuTime();
    long t1 = System.nanoTime();
    byte[] chunk = new byte[CHUNK];
    ThreadLocalRandom.current().nextBytes(chunk);
    for (long sent = 0; sent < TOTAL; sent += chunk.length) {
      while (ch.getBufferedAmount() > HIGH_WATER) {
        drained.tryAcquire(50, TimeUnit.MILLISECONDS);
      }
      ch.send(new RTCDataChannelBuffer(ByteBuffer.wrap(chunk), true));
    }
    if (!done.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException("received only " + received.get() + " bytes");
    }
    long xferNanos = System.nanoTime() - t1;
    long cpuNanos = os.getProcessCpuTime() - cpu1;
    System.out.printf("webrtc run %d: connect %.1f ms (connect cpu %.0f ms), 200 MiB in %.2f s = %.1f MiB/s,"
        + " cpu %.2f s (%.0f%% of one core)%n", run, connectNanos / 1e6, (cpu1 - cpu0) / 1e6, xferNanos / 1e9,
        TOTAL / 1048576.0 / (xferNanos / 1e9), cpuNanos / 1e9, 100.0 * cpuNanos / xferNanos);
    ch.close();
    rch.close();
    ch.dispose();
    rch.dispose();
    pcs[0].close();
    pcs[1].close();
  }

  private static RTCSessionDescription describe(RTCPeerConnection pc, boolean offer) throws Exception {
    CompletableFuture<RTCSessionDescription> f = new CompletableFuture<>();
    CreateSessionDescriptionObserver observer = new CreateSessionDescriptionObserver() {
      @Override
      public void onSuccess(RTCSessionDescription d) {
        f.complete(d);
      }

      @Override
      public void onFailure(String e) {
        f.completeExceptionally(new IllegalStateException(e));
      }
    };
    if (offer) {
      pc.createOffer(new RTCOfferOptions(), observer);
    } else {
      pc.createAnswer(new RTCAnswerOptions(), observer);
    }
    return f.get(10, TimeUnit.SECONDS);
  }

  private static void apply(RTCPeerConnection pc, RTCSessionDescription d, boolean local) throws Exception {
    CompletableFuture<Void> f = new CompletableFuture<>();
    SetSessionDescriptionObserver observer = new SetSessionDescriptionObserver() {
      @Override
      public void onSuccess() {
        f.complete(null);
      }

      @Override
      public void onFailure(String e) {
        f.completeExceptionally(new IllegalStateException(e));
      }
    };
    if (local) {
      pc.setLocalDescription(d, observer);
    } else {
      pc.setRemoteDescription(d, observer);
    }
    f.get(10, TimeUnit.SECONDS);
  }
}
