package org.dialtone.node.gateway;

import java.net.InetAddress;
import java.util.Optional;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.node.limit.PrefixRateLimiter;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;

/**
 * Which records a browser may publish through the gateway ({@code POST /records}): records its own key signed, of
 * the kinds a browser agent needs (PRESENCE and LEFT on a number), checked exactly as a STORE would be and more
 * strictly (the payload must describe the number its key is for; the expiry is near), at a rate per source prefix.
 * The gateway can neither forge nor alter them: it only passes on what verifies. Plain; time is passed in.
 */
final class BrowserRecords {
  /** The largest request body read; a PRESENCE record in JSON is about 600 bytes. */
  static final int MAX_BODY_BYTES = 4096;
  /** How far ahead a browser's record may expire: its presence lives 2 minutes and is renewed each minute. */
  static final long MAX_LIFETIME_SECONDS = 600;
  /** One record a second per /24 or /48 with a burst of 10 (a page renews once a minute), 200 a second in all. */
  static final PrefixRateLimiter.Limits LIMITS = new PrefixRateLimiter.Limits(1, 10, 200, 10_000);

  private final PrefixRateLimiter limiter = new PrefixRateLimiter(LIMITS);

  /** The record in {@code body} if a browser at {@code from} may publish it now, else why not. */
  Checked check(String body, InetAddress from, long nowSeconds, long nowNanos) {
    if (!limiter.tryAcquire(from, nowNanos)) {
      return refused(429, "RATE_LIMITED", "at most " + (int) LIMITS.perPrefixPerSecond() + " record a second from "
          + "one network (burst " + LIMITS.perPrefixBurst() + ")");
    }
    SignedRecord record;
    try {
      record = RecordCodec.fromJson(body);
    } catch (RuntimeException e) {
      return refused(400, "NOT_A_RECORD", "not a record in JSON: " + LogSafe.clip(String.valueOf(e.getMessage())));
    }
    Optional<RecordKind> kind = RecordKind.of(record.kind());
    if (kind.isEmpty() || (kind.get() != RecordKind.PRESENCE && kind.get() != RecordKind.LEFT)) {
      return refused(400, "KIND_NOT_ALLOWED", "a browser publishes PRESENCE and LEFT records, not "
          + kind.map(Enum::name).orElse("kind " + record.kind()));
    }
    if (!record.hasValidSignature()) {
      return refused(403, "BAD_SIGNATURE", "the signature does not verify with the publisher's key");
    }
    Optional<AgentInfo> info = RecordCodec.decodeAgent(record);
    if (info.isEmpty()) {
      return refused(400, "BAD_PAYLOAD", "the payload is not a valid agent description");
    }
    if (!info.get().number().key().equals(record.key())) {
      return refused(400, "BAD_PAYLOAD", "the record's key is not the key of the number it names ("
          + info.get().number() + ")");
    }
    if (info.get().role() != Role.MEMBER) {
      return refused(400, "BAD_PAYLOAD", "a browser's presence has role MEMBER, not " + info.get().role());
    }
    long lifetime = record.expiresAtSeconds() - nowSeconds;
    if (lifetime <= 0 || lifetime > MAX_LIFETIME_SECONDS) {
      return refused(400, "BAD_EXPIRY", "expiresAt must be within " + MAX_LIFETIME_SECONDS + " s from now, was "
          + lifetime + " s away");
    }
    return new Checked(Optional.of(record), Optional.empty());
  }

  private static Checked refused(int status, String code, String message) {
    return new Checked(Optional.empty(), Optional.of(new ApiError(status, code, message, null)));
  }

  /** A record to publish, or the error to answer. */
  record Checked(Optional<SignedRecord> record, Optional<ApiError> refusal) {}
}
