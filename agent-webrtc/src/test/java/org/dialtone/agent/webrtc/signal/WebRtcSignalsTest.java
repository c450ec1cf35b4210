package org.dialtone.agent.webrtc.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.signal.Nonce128;
import org.dialtone.agent.reach.signal.Refusal;
import org.dialtone.agent.reach.signal.SignalBody;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalError;
import org.dialtone.agent.reach.signal.SignalException;
import org.dialtone.agent.reach.signal.SignalKind;
import org.dialtone.agent.reach.signal.SignalTransport;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.time.Clock;
import org.junit.jupiter.api.Test;

/** The Java agent's signals with a browser: made as the page makes them, checked as the page checks them. */
class WebRtcSignalsTest {
  private static final long NOW = 1_800_000_000_000L;
  private final Clock clock = new Clock() {
    @Override
    public long epochMillis() {
      return NOW;
    }

    @Override
    public long nanoTime() {
      return 0;
    }
  };
  private final Random random = new Random(7);
  private final Identity java = Identity.generate(random);
  private final Identity browser = Identity.generate(random);
  private final Identity mallory = Identity.generate(random);
  private final WebRtcSignals signals = new WebRtcSignals(java, clock, random);

  private byte[] fromBrowser(Identity by, SignalKind kind, Nonce128 session, SignalTransport transport) {
    SdpCandidates.Split s = SdpCandidates.split(SdpCandidatesTest.CHROMIUM);
    SignalBody body = new SignalBody(kind, transport, NatType.UNKNOWN, Refusal.NONE, by.publicKey(),
        java.publicKey(), session, Nonce128.random(random), NOW, NOW + 30_000, s.candidates(),
        s.text().getBytes(StandardCharsets.UTF_8));
    return SignalCodec.encode(SignedSignal.sign(body, by));
  }

  @Test
  void anOfferFromABrowserIsTakenWithItsCandidatesBack() throws Exception {
    Nonce128 session = Nonce128.random(random);
    WebRtcSignals.Inbound in = signals.receive(fromBrowser(browser, SignalKind.REQUEST, session,
        SignalTransport.WEBRTC));
    WebRtcSignals.Offer offer = assertInstanceOf(WebRtcSignals.Offer.class, in);
    assertEquals(browser.publicKey(), offer.peer());
    assertEquals(session, offer.session());
    assertTrue(offer.sdp().contains("a=candidate:1 1 udp 2130706431 10.0.1.2 50001 typ host"), offer.sdp());

    // the answer: signed by the Java agent, for the browser, in the browser's session, WEBRTC, candidates apart
    SignedSignal answer = SignalCodec.decode(signals.answer(offer, SdpCandidatesTest.CHROMIUM));
    assertTrue(answer.signatureValid());
    assertEquals(SignalKind.ANSWER, answer.body().kind());
    assertEquals(SignalTransport.WEBRTC, answer.body().transport());
    assertEquals(browser.publicKey(), answer.body().recipient());
    assertEquals(java.publicKey(), answer.body().sender());
    assertEquals(session, answer.body().session());
    assertEquals(3, answer.body().candidates().size());
    assertEquals(WebRtcSignals.LIFETIME_MILLIS, answer.body().expiresAtMillis() - answer.body().issuedAtMillis());
    assertTrue(new String(answer.body().payload(), StandardCharsets.UTF_8).contains("a=fingerprint:"),
        "the signature covers the DTLS fingerprint");
    assertEquals(Map.of(), signals.refused());
  }

  @Test
  void aForgedSignalIsRefusedAndCounted() {
    byte[] bytes = fromBrowser(browser, SignalKind.REQUEST, Nonce128.random(random), SignalTransport.WEBRTC);
    bytes[SignalCodec.MAGIC.length + 4 + 64 + 3] ^= 1; // a byte of the session: the signature no longer verifies
    SignalException e = assertThrows(SignalException.class, () -> signals.receive(bytes));
    assertEquals(SignalError.BAD_SIGNATURE, e.error());
    // a signal for another agent, a replay, garbage
    Identity other = Identity.generate(random);
    SignalBody forOther = new SignalBody(SignalKind.REQUEST, SignalTransport.WEBRTC, NatType.UNKNOWN, Refusal.NONE,
        browser.publicKey(), other.publicKey(), Nonce128.random(random), Nonce128.random(random), NOW, NOW + 30_000,
        List.of(), new byte[0]);
    assertEquals(SignalError.WRONG_RECIPIENT, assertThrows(SignalException.class,
        () -> signals.receive(SignalCodec.encode(SignedSignal.sign(forOther, browser)))).error());
    byte[] good = fromBrowser(browser, SignalKind.REQUEST, Nonce128.random(random), SignalTransport.WEBRTC);
    assertInstanceOf(WebRtcSignals.Offer.class, assertDoesNotThrow(good));
    assertEquals(SignalError.REPLAYED, assertThrows(SignalException.class, () -> signals.receive(good)).error());
    assertEquals(SignalError.MALFORMED, assertThrows(SignalException.class,
        () -> signals.receive(new byte[200])).error());
    assertEquals(Map.of(SignalError.BAD_SIGNATURE, 1L, SignalError.WRONG_RECIPIENT, 1L, SignalError.REPLAYED, 1L,
        SignalError.MALFORMED, 1L), signals.refused());
  }

  private WebRtcSignals.Inbound assertDoesNotThrow(byte[] bytes) {
    try {
      return signals.receive(bytes);
    } catch (SignalException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anAnswerOnlyFromTheAgentCalledInTheSessionChosen() throws Exception {
    Nonce128 session = signals.beginCall(browser.publicKey());
    SignedSignal request = SignalCodec.decode(signals.request(browser.publicKey(), session,
        SdpCandidatesTest.CHROMIUM));
    assertEquals(SignalKind.REQUEST, request.body().kind());
    assertEquals(session, request.body().session());
    // mallory answers in the right session; the browser answers in another: both UNEXPECTED
    assertEquals(SignalError.UNEXPECTED, assertThrows(SignalException.class,
        () -> signals.receive(fromBrowser(mallory, SignalKind.ANSWER, session, SignalTransport.WEBRTC))).error());
    assertEquals(SignalError.UNEXPECTED, assertThrows(SignalException.class, () -> signals.receive(
        fromBrowser(browser, SignalKind.ANSWER, Nonce128.random(random), SignalTransport.WEBRTC))).error());
    // not WebRTC, or a SYNC: UNEXPECTED
    assertEquals(SignalError.UNEXPECTED, assertThrows(SignalException.class,
        () -> signals.receive(fromBrowser(browser, SignalKind.ANSWER, session, SignalTransport.QUIC))).error());
    assertEquals(SignalError.UNEXPECTED, assertThrows(SignalException.class,
        () -> signals.receive(fromBrowser(browser, SignalKind.SYNC, session, SignalTransport.WEBRTC))).error());
    WebRtcSignals.Answer a = assertInstanceOf(WebRtcSignals.Answer.class,
        signals.receive(fromBrowser(browser, SignalKind.ANSWER, session, SignalTransport.WEBRTC)));
    assertEquals(browser.publicKey(), a.peer());
    // one answer per call: a second one is nobody's
    assertEquals(SignalError.UNEXPECTED, assertThrows(SignalException.class,
        () -> signals.receive(fromBrowser(browser, SignalKind.ANSWER, session, SignalTransport.WEBRTC))).error());
    assertEquals(Map.of(SignalError.UNEXPECTED, 5L), signals.refused());
  }

  @Test
  void callsWaitingAreBoundedAndADescriptionTooLargeIsNotSigned() throws Exception {
    for (int i = 0; i < WebRtcSignals.MAX_PENDING_CALLS; i++) {
      signals.beginCall(browser.publicKey());
    }
    assertEquals(SignalError.BUSY, assertThrows(SignalException.class,
        () -> signals.beginCall(browser.publicKey())).error());
    String huge = SdpCandidatesTest.CHROMIUM + "a=x:" + "y".repeat(700) + "\r\n";
    assertEquals(SignalError.TOO_LARGE, assertThrows(SignalException.class,
        () -> signals.request(browser.publicKey(), Nonce128.random(random), huge)).error());
  }
}
