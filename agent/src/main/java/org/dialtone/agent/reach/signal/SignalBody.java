package org.dialtone.agent.reach.signal;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.crypto.PublicKey;

/**
 * What a signal says, before it is signed. Immutable (the payload is copied in and out).
 *
 * @param kind request, answer or sync
 * @param transport how to read the payload and what to speak once connected
 * @param nat the sender's NAT type as its classifier sees it
 * @param refusal {@link Refusal#NONE}, except in an ANSWER that refuses
 * @param sender the signer's Ed25519 key
 * @param recipient the key of the agent it is for (a forwarding node cannot redirect it)
 * @param session chosen by the dialler, repeated in the answer and the sync
 * @param nonce fresh per envelope: the replay key with the sender
 * @param issuedAtMillis wall-clock time of signing (epoch ms)
 * @param expiresAtMillis not valid from this time on (epoch ms)
 * @param candidates at most {@link SignalCodec#MAX_CANDIDATES}
 * @param payload opaque to the codec (a WebRTC SDP), at most {@link SignalCodec#MAX_PAYLOAD_BYTES}
 */
public record SignalBody(
    SignalKind kind,
    SignalTransport transport,
    NatType nat,
    Refusal refusal,
    PublicKey sender,
    PublicKey recipient,
    Nonce128 session,
    Nonce128 nonce,
    long issuedAtMillis,
    long expiresAtMillis,
    List<Candidate> candidates,
    byte[] payload) {

  /** Validates the bounds that the codec enforces too, and copies. */
  public SignalBody {
    Objects.requireNonNull(kind, "kind must not be null");
    Objects.requireNonNull(transport, "transport must not be null");
    Objects.requireNonNull(nat, "nat must not be null");
    Objects.requireNonNull(refusal, "refusal must not be null");
    Objects.requireNonNull(sender, "sender must not be null");
    Objects.requireNonNull(recipient, "recipient must not be null");
    Objects.requireNonNull(session, "session must not be null");
    Objects.requireNonNull(nonce, "nonce must not be null");
    candidates = List.copyOf(candidates);
    payload = payload.clone();
    if (candidates.size() > SignalCodec.MAX_CANDIDATES) {
      throw new IllegalArgumentException("at most " + SignalCodec.MAX_CANDIDATES + " candidates, got "
          + candidates.size());
    }
    if (payload.length > SignalCodec.MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("a payload is at most " + SignalCodec.MAX_PAYLOAD_BYTES + " bytes, got "
          + payload.length);
    }
    if (kind != SignalKind.ANSWER && refusal != Refusal.NONE) {
      throw new IllegalArgumentException("only an ANSWER refuses, got " + kind + " with " + refusal);
    }
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignalBody b && kind == b.kind && transport == b.transport && nat == b.nat
        && refusal == b.refusal && sender.equals(b.sender) && recipient.equals(b.recipient)
        && session.equals(b.session) && nonce.equals(b.nonce) && issuedAtMillis == b.issuedAtMillis
        && expiresAtMillis == b.expiresAtMillis && candidates.equals(b.candidates)
        && Arrays.equals(payload, b.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, transport, nat, refusal, sender, recipient, session, nonce, issuedAtMillis,
        expiresAtMillis, candidates, Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return "SignalBody[" + kind + " " + transport + " nat=" + nat + " refusal=" + refusal + " from=" + sender
        + " to=" + recipient + " session=" + session + " nonce=" + nonce + " issued=" + issuedAtMillis
        + " expires=" + expiresAtMillis + " candidates=" + candidates + " payload="
        + HexFormat.of().formatHex(payload) + "]";
  }
}
