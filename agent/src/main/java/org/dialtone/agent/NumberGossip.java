package org.dialtone.agent;

import java.time.Duration;
import org.dialtone.agent.gossip.KnownNumbers;
import org.dialtone.agent.wire.FrameType;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.time.Clock;

/**
 * One connection's side of number gossip (digest, offer, records on stream 0), bounded so that a peer cannot make us
 * work or queue without limit: one exchange in flight each way, at most one digest answered per
 * {@link #MIN_DIGEST_SPACING_MILLIS} (others get an empty offer), nothing sent while the send queue is full, and
 * offers or records nobody asked for are dropped. Runs on the connection's context.
 */
final class NumberGossip {
  /** The least time between two digests this side answers on one connection. */
  static final long MIN_DIGEST_SPACING_MILLIS = 1_000;
  // No records, no ids wanted.
  private static final byte[] EMPTY_OFFER = new byte[4];

  private final FrameSocket socket;
  private final KnownNumbers known;
  private final PublicKey peer;
  private final Clock clock;
  private final Duration interval;
  // Our digest awaiting its offer; their digest answered, awaiting records.
  private long digestSentAtNanos = -1;
  private long answeredAtNanos;
  private boolean answering;
  private long digestsIgnored;

  NumberGossip(FrameSocket socket, KnownNumbers known, PublicKey peer, Clock clock, Duration interval) {
    this.socket = socket;
    this.known = known;
    this.peer = peer;
    this.clock = clock;
    this.interval = interval;
  }

  /** Sends our digest, unless an exchange is in flight or the send queue is full. */
  void start() {
    long now = clock.nanoTime();
    boolean inFlight = digestSentAtNanos >= 0
        && now - digestSentAtNanos < 2 * interval.toNanos(); // a peer that never answers: retry
    if (inFlight || socket.writeQueueFull()) {
      return; // one exchange in flight; nothing queued behind a full send queue
    }
    digestSentAtNanos = now;
    byte[] digest;
    synchronized (known) {
      digest = known.digest();
    }
    socket.send(FrameType.GOSSIP_DIGEST, 0, digest);
  }

  /** The peer's digest: answered with an offer, or (too soon, busy) with an empty one. */
  void onDigest(byte[] body) {
    long now = clock.nanoTime();
    if (answering || socket.writeQueueFull() || answeredAtNanos != 0
        && now - answeredAtNanos < MIN_DIGEST_SPACING_MILLIS * 1_000_000L) {
      // The peer asks again before the last exchange ended, or too soon: an empty offer (4 bytes, no larger than
      // any digest) ends its exchange without answering it.
      digestsIgnored++;
      if (!socket.writeQueueFull()) {
        socket.send(FrameType.GOSSIP_OFFER, 0, EMPTY_OFFER);
      }
      return;
    }
    byte[] answer;
    synchronized (known) {
      answer = known.answer(body);
    }
    answering = true;
    answeredAtNanos = now;
    socket.send(FrameType.GOSSIP_OFFER, 0, answer);
  }

  /** The peer's offer to our digest: we ask for the records we want. */
  void onOffer(byte[] body) {
    if (digestSentAtNanos < 0) {
      return; // an offer we did not ask for
    }
    digestSentAtNanos = -1;
    byte[] wanted;
    synchronized (known) {
      wanted = known.acceptOffer(body, peer, clock.epochMillis());
    }
    socket.send(FrameType.GOSSIP_RECORDS, 0, wanted);
  }

  /** The records the peer wanted from our offer: the exchange ends. */
  void onRecords(byte[] body) {
    if (!answering) {
      return; // records we did not offer an exchange for
    }
    answering = false;
    synchronized (known) {
      known.acceptRecords(body, peer, clock.epochMillis());
    }
  }

  /** Peer digests left unanswered. */
  long digestsIgnored() {
    return digestsIgnored;
  }
}
