package org.dialtone.dht.node;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.dialtone.dht.api.SignalRefusal;
import org.dialtone.dht.crypto.ChallengeProof;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.rpc.KeyedQuota;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message;

/**
 * Sends SIGNAL messages: an envelope to the node at an address that a signed record names, with that node's key.
 * Before the envelope goes out the address must have proven the named key (it is in the routing table with that
 * key and address, or it answered a PING with a challenge signed by the key, remembered for
 * {@value #PROVEN_MILLIS} ms): so an agent who names a stranger's address in its record can make this node send the
 * stranger one small PING at most, never the envelope. Sends in flight are bounded in all and per address.
 * Node thread only.
 */
public final class SignalSender {
  /** SIGNALs (with their proving PINGs) in flight at once, in all and towards one address. */
  public static final int MAX_IN_FLIGHT = 64;
  public static final int MAX_IN_FLIGHT_PER_ADDRESS = 8;
  /** Proven (key, address) pairs remembered, and for how long. */
  static final int PROVEN_REMEMBERED = 256;
  static final long PROVEN_MILLIS = 10 * 60_000;

  private final NodeContext ctx;
  private final KeyedQuota<PeerAddress> inFlight = new KeyedQuota<>(MAX_IN_FLIGHT, MAX_IN_FLIGHT_PER_ADDRESS);
  private final Map<Contact, Long> proven = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Contact, Long> eldest) {
      return size() > PROVEN_REMEMBERED;
    }
  };

  public SignalSender(NodeContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Sends {@code envelope} to the node with key {@code nodeKey} at {@code to}, once that address proved the key.
   * Completes {@code f} with empty (acknowledged) or the node's refusal; fails it with {@link DhtException}:
   * {@code OVERLOADED} past the in-flight bounds, {@code BAD_SIGNATURE} when the address does not prove the key,
   * {@code TIMEOUT} when it does not answer.
   */
  public void send(PublicKey nodeKey, PeerAddress to, byte[] envelope, CompletableFuture<Optional<SignalRefusal>> f) {
    if (ctx.isClosed()) {
      f.completeExceptionally(new DhtException(ErrorCode.CLOSED, "the node is closed"));
      return;
    }
    if (!inFlight.take(to)) {
      f.completeExceptionally(new DhtException(ErrorCode.OVERLOADED, "too many signals in flight"
          + (inFlight.full() ? "" : " to " + to)));
      return;
    }
    f.whenComplete((r, e) -> ctx.scheduler.execute(() -> inFlight.give(to)));
    Contact named = Contact.of(nodeKey, to);
    if (isProven(named)) {
      signal(to, envelope, f);
      return;
    }
    byte[] challenge = ctx.newChallenge();
    ctx.rpc.send(to, tx -> new Message.Ping(tx, ctx.senderKey(), Optional.of(Blob.of(challenge))))
        .whenComplete((reply, error) -> {
          if (error != null) {
            f.completeExceptionally(error);
          } else if (reply.response() instanceof Message.Pong pong && pong.responder().equals(nodeKey)
              && pong.challengeSignature().map(s -> ChallengeProof.verify(nodeKey, challenge, s.toArray()))
                  .orElse(false)) {
            proven.put(named, ctx.clock.monotonicMillis());
            signal(to, envelope, f);
          } else {
            f.completeExceptionally(new DhtException(ErrorCode.BAD_SIGNATURE, "the node at " + to
                + " does not prove the key " + nodeKey.toHex().substring(0, 16) + "..."));
          }
        });
  }

  private boolean isProven(Contact named) {
    if (ctx.table.get(named.id()).map(c -> c.address().equals(named.address())).orElse(false)) {
      return true;
    }
    Long at = proven.get(named);
    return at != null && ctx.clock.monotonicMillis() - at < PROVEN_MILLIS;
  }

  private void signal(PeerAddress to, byte[] envelope, CompletableFuture<Optional<SignalRefusal>> f) {
    ctx.rpc.send(to, tx -> new Message.Signal(tx, ctx.senderKey(), Blob.of(envelope)))
        .whenComplete((reply, error) -> {
          if (error != null) {
            f.completeExceptionally(error);
          } else if (reply.response() instanceof Message.SignalAck) {
            f.complete(Optional.empty());
          } else if (reply.response() instanceof Message.ErrorReply e) {
            f.complete(Optional.of(new SignalRefusal(e.code(), e.message())));
          } else {
            f.complete(Optional.of(new SignalRefusal(ErrorCode.MALFORMED, "answered a SIGNAL with "
                + reply.response().type())));
          }
        });
  }
}
