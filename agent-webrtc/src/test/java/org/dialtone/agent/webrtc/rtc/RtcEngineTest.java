package org.dialtone.agent.webrtc.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.webrtc.signal.SdpCandidates;
import org.junit.jupiter.api.Test;

/**
 * libwebrtc loads here, and the offer it makes has the page's shape and fits the signal (payload at most 700 bytes).
 * When the native library cannot load, this fails with one line naming the Debian packages to install.
 */
class RtcEngineTest {
  static RtcEngine engine() {
    try {
      return RtcEngine.start();
    } catch (WebRtcUnavailableException e) {
      return fail(e.getMessage());
    }
  }

  @Test
  void anOfferHasTheDataChannelAndTheFingerprintAndFitsTheEnvelope() throws Exception {
    try (RtcEngine engine = engine(); RtcPeer peer = engine.peer(List.of())) {
      String offer = peer.offer().get(30, TimeUnit.SECONDS);
      assertTrue(offer.contains("m=application"), offer);
      assertTrue(offer.contains("webrtc-datachannel"), offer);
      assertTrue(offer.contains("a=fingerprint:sha-256 "), offer);
      SdpCandidates.Split split = SdpCandidates.split(offer);
      int bytes = split.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      assertTrue(bytes <= SignalCodec.MAX_PAYLOAD_BYTES, bytes + " bytes: " + split.text());
    }
  }

  @Test
  void aLibraryThatDoesNotLoadIsOneLineNamingWhatToInstall() {
    WebRtcUnavailableException e = RtcEngine.unavailable(new UnsatisfiedLinkError(
        "/tmp/x/libwebrtc-java-linux-x86_64.so: libpulse.so.0: cannot open shared object file: No such file"));
    assertFalse(e.getMessage().contains("\n"));
    assertTrue(e.getMessage().contains("libpulse.so.0: cannot open shared object file"), e.getMessage());
    assertTrue(e.getMessage().contains("install Debian's libpulse0"), e.getMessage());
    assertEquals(UnsatisfiedLinkError.class, e.getCause().getClass());
  }
}
