package org.dialtone.node.gateway;

import java.net.InetAddress;
import java.util.Optional;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.resolver.ResolverKeys;
import org.dialtone.node.limit.PrefixRateLimiter;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;

/**
 * Which records a browser may publish through the gateway ({@code POST /records}): records its own key signed, of
 * the kinds a browser agent needs (PRESENCE and LEFT on a number; AGENT, its directory entry under
 * {@code agent:<key>}, which names the node holding its signal inbox), checked exactly as a STORE would be and more
 * strictly (the payload must describe the number its key is for; the expiry is near; the only endpoint a browser may
 * name is this node's, {@link NodeEndpoint}), at a rate per source prefix. The gateway can neither forge nor alter
 * them: it only passes on what verifies. Plain; time is passed in.
 */
final class BrowserRecords {
  /** The largest request body read; a PRESENCE record in JSON is about 600 bytes. */
  static final int MAX_BODY_BYTES = 4096;
  /** How far ahead a browser's record may expire: its presence lives 2 minutes and is renewed each minute. */
  static final long MAX_LIFETIME_SECONDS = 600;
  /** One record a second per /24 or /48 with a burst of 10 (a page renews once a minute), 200 a second in all. */
  static final PrefixRateLimiter.Limits LIMITS = new PrefixRateLimiter.Limits(1, 10, 200, 10_000);

  private final PrefixRateLimiter limiter = new PrefixRateLimiter(LIMITS);
  private final PublicKey nodeKey;

  /** @param nodeKey this node's key: the only node a browser's record may name as where it is attached */
  BrowserRecords(PublicKey nodeKey) {
    this.nodeKey = nodeKey;
  }

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
    if (kind.isEmpty() || (kind.get() != RecordKind.PRESENCE && kind.get() != RecordKind.LEFT
        && kind.get() != RecordKind.AGENT)) {
      return refused(400, "KIND_NOT_ALLOWED", "a browser publishes PRESENCE, LEFT and AGENT records, not "
          + kind.map(Enum::name).orElse("kind " + record.kind()));
    }
    if (!record.hasValidSignature()) {
      return refused(403, "BAD_SIGNATURE", "the signature does not verify with the publisher's key");
    }
    Optional<AgentInfo> info = RecordCodec.decodeAgent(record);
    if (info.isEmpty()) {
      return refused(400, "BAD_PAYLOAD", "the payload is not a valid agent description");
    }
    if (kind.get() == RecordKind.AGENT) {
      if (!ResolverKeys.agent(record.publisher()).equals(record.key())) {
        return refused(400, "BAD_PAYLOAD", "an AGENT record goes under agent:<its publisher's key>");
      }
    } else if (!info.get().number().key().equals(record.key())) {
      return refused(400, "BAD_PAYLOAD", "the record's key is not the key of the number it names ("
          + info.get().number() + ")");
    }
    if (info.get().role() != Role.MEMBER) {
      return refused(400, "BAD_PAYLOAD", "a browser's presence has role MEMBER, not " + info.get().role());
    }
    for (String endpoint : info.get().endpoints()) {
      // Only this node: so a page cannot make its record send other nodes' signals to an address of its choosing.
      if (!NodeEndpoint.parse(endpoint).map(n -> n.nodeKey().equals(nodeKey)).orElse(false)) {
        return refused(400, "BAD_ENDPOINT", "a browser's record names only the node it posts through ("
            + NodeEndpoint.SCHEME + "://IP:PORT/" + nodeKey.toHex().substring(0, 16) + "...), not "
            + LogSafe.clip(endpoint));
      }
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
