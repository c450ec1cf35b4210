package org.dialtone.agent.webrtc.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * libwebrtc through webrtc-java: one peer-connection factory (no audio device: a headless module) and one thread on
 * which every callback's follow-up runs, so that nothing blocks libwebrtc's own signaling thread.
 */
public final class RtcEngine implements AutoCloseable {
  /** The Debian packages whose libraries webrtc-java's native library links (ldd on 0.14.0's linux-x86_64 jar). */
  public static final String DEBIAN_PACKAGES = "libpulse0 libx11-6 libxfixes3 libxrandr2 libxcomposite1 libudev1"
      + " libdbus-1-3";

  private final PeerConnectionFactory factory;
  private final ScheduledExecutorService worker;

  private RtcEngine(PeerConnectionFactory factory) {
    this.factory = factory;
    java.util.concurrent.ScheduledThreadPoolExecutor w = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "dialtone-webrtc");
      t.setDaemon(true);
      return t;
    });
    w.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a gathering deadline need not hold up a close
    this.worker = w;
  }

  /**
   * Loads the native library and makes the factory.
   *
   * @throws WebRtcUnavailableException when the library does not load here (a missing system library, another
   *     platform), with a one-line message naming what to install
   */
  public static RtcEngine start() throws WebRtcUnavailableException {
    try {
      return new RtcEngine(new PeerConnectionFactory(new HeadlessAudioDeviceModule()));
    } catch (LinkageError | RuntimeException e) {
      throw unavailable(e);
    }
  }

  /** The error for a library that did not load because of {@code cause}. */
  static WebRtcUnavailableException unavailable(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String why = String.valueOf(root.getMessage()).replaceAll("[\\r\\n]+", " ");
    return new WebRtcUnavailableException("WebRTC is not available: webrtc-java's native library did not load ("
        + root.getClass().getSimpleName() + ": " + why + "); install Debian's " + DEBIAN_PACKAGES
        + " (apt-get install, or scripts/install-test-deps.sh); linux-x86_64 only", cause);
  }

  /** A new peer connection that gathers candidates from these STUN servers ({@code stun:host:port}). */
  public RtcPeer peer(List<String> stunUrls) {
    RTCConfiguration config = new RTCConfiguration();
    if (!stunUrls.isEmpty()) {
      RTCIceServer stun = new RTCIceServer();
      stun.urls = List.copyOf(stunUrls);
      config.iceServers = List.of(stun);
    }
    return new RtcPeer(factory, config, worker);
  }

  /** Lets the connections' pending closes run (1 s at most), then frees libwebrtc. */
  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.shutdownNow();
    factory.dispose();
  }
}
