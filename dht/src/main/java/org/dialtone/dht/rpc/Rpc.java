package org.dialtone.dht.rpc;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.time.Scheduler;
import org.dialtone.dht.transport.Transport;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;
import org.dialtone.dht.wire.RequestPadding;

/**
 * Outgoing requests: random 64-bit transaction ids, matching of replies on (transaction id, address), adaptive
 * timeouts and a bounded number of retransmissions. A retransmission reuses the transaction id, so a late reply
 * to the first copy still completes the request.
 *
 * <p>Runs on the node's scheduler thread only. The number of requests in flight is bounded; past the bound a
 * request fails at once with {@link ErrorCode#OVERLOADED} rather than queueing without limit.
 */
public final class Rpc {
  /**
   * Settings.
   *
   * @param initialTimeoutMillis timeout before any round trip was measured
   * @param minTimeoutMillis floor of the adaptive timeout
   * @param maxTimeoutMillis ceiling of the adaptive timeout, retries included
   * @param maxRetries retransmissions after the first send
   * @param maxPending requests in flight at once
   */
  public record Config(
      long initialTimeoutMillis, long minTimeoutMillis, long maxTimeoutMillis, int maxRetries, int maxPending) {
    /** The timeout before any round trip was measured. */
    public static final long DEFAULT_INITIAL_TIMEOUT_MILLIS = 1_000;
    /** The floor: well above a LAN's round trip, so that a busy event loop is not mistaken for a dead peer. */
    public static final long DEFAULT_MIN_TIMEOUT_MILLIS = 250;
    /** The ceiling of the adaptive timeout. */
    public static final long DEFAULT_MAX_TIMEOUT_MILLIS = 4_000;
    /** Two retransmissions: one lost datagram does not fail a request. */
    public static final int DEFAULT_MAX_RETRIES = 2;
    /** Requests in flight at once. */
    public static final int DEFAULT_MAX_PENDING = 4096;

    /** Fails with {@link IllegalArgumentException} when a setting is out of range. */
    public Config {
      if (maxRetries < 0 || maxPending < 1) {
        throw new IllegalArgumentException("maxRetries must be >= 0 and maxPending >= 1");
      }
      new RttEstimator(initialTimeoutMillis, minTimeoutMillis, maxTimeoutMillis); // validates the timeouts
    }

    /** The defaults: start at 1 s, adapt between 250 ms and 4 s, two retransmissions, 4096 in flight. */
    public static Config defaults() {
      return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
      return new Builder().initialTimeoutMillis(initialTimeoutMillis).minTimeoutMillis(minTimeoutMillis)
          .maxTimeoutMillis(maxTimeoutMillis).maxRetries(maxRetries).maxPending(maxPending);
    }

    /** Builds a {@link Config}; unset fields keep their defaults. */
    public static final class Builder {
      private long initialTimeoutMillis = DEFAULT_INITIAL_TIMEOUT_MILLIS;
      private long minTimeoutMillis = DEFAULT_MIN_TIMEOUT_MILLIS;
      private long maxTimeoutMillis = DEFAULT_MAX_TIMEOUT_MILLIS;
      private int maxRetries = DEFAULT_MAX_RETRIES;
      private int maxPending = DEFAULT_MAX_PENDING;

      private Builder() {}

      public Builder initialTimeoutMillis(long millis) {
        this.initialTimeoutMillis = millis;
        return this;
      }

      public Builder minTimeoutMillis(long millis) {
        this.minTimeoutMillis = millis;
        return this;
      }

      public Builder maxTimeoutMillis(long millis) {
        this.maxTimeoutMillis = millis;
        return this;
      }

      public Builder maxRetries(int retries) {
        this.maxRetries = retries;
        return this;
      }

      public Builder maxPending(int pending) {
        this.maxPending = pending;
        return this;
      }

      /** Validates and builds. */
      public Config build() {
        return new Config(initialTimeoutMillis, minTimeoutMillis, maxTimeoutMillis, maxRetries, maxPending);
      }
    }
  }

  /** A reply and what it took to get it. */
  public record Reply(Message.Response response, int transmissions, long rttNanos) {}

  private final class Pending {
    final long txId;
    final PeerAddress to;
    final byte[] datagram;
    final CompletableFuture<Reply> future = new CompletableFuture<>();
    final long firstSentNanos;
    final boolean followUp;
    int transmissions;
    Cancellable timer;

    Pending(long txId, PeerAddress to, byte[] datagram, long now, boolean followUp) {
      this.txId = txId;
      this.to = to;
      this.datagram = datagram;
      this.firstSentNanos = now;
      this.followUp = followUp;
    }
  }

  private final Transport transport;
  private final Scheduler scheduler;
  private java.util.function.BiPredicate<PeerAddress, Integer> mayFollowUp = (to, bytes) -> true;
  private java.util.function.ToIntBiFunction<PeerAddress, Message.Request> minBytes = (to, request) -> 0;
  private final Random random;
  private final Config config;
  private final RttEstimator rtt;
  private final Map<Long, Pending> pending = new HashMap<>();
  private long sent;
  private long retransmitted;
  private long timedOut;
  private long unsolicited;
  private boolean closed;

  /** An RPC layer sending through {@code transport}, timing out on {@code scheduler}. */
  public Rpc(Transport transport, Scheduler scheduler, Random random, Config config) {
    this.transport = transport;
    this.scheduler = scheduler;
    this.random = random;
    this.config = config;
    this.rtt = new RttEstimator(config.initialTimeoutMillis(), config.minTimeoutMillis(), config.maxTimeoutMillis());
  }

  /**
   * Sends the request that {@code build} makes for a fresh transaction id to {@code to}. The future completes with
   * the reply (an ERROR reply included), or fails with {@link ErrorCode#TIMEOUT} after the last retry,
   * {@link ErrorCode#OVERLOADED} when too many requests are in flight, or {@link ErrorCode#CLOSED}.
   */
  public CompletableFuture<Reply> send(PeerAddress to, LongFunction<? extends Message.Request> build) {
    return send(to, build, false);
  }

  /**
   * As {@link #send}, for a request that follows up on a request received from {@code to} (a PING asking it to
   * prove its key or a round trip): each transmission, retransmissions included, is first offered to the
   * {@linkplain #limitFollowUps follow-up limit}, and one it refuses is not sent (the request then times out).
   * The node's own requests are not limited: they are not answers an attacker can aim at someone else.
   */
  public CompletableFuture<Reply> sendFollowUp(PeerAddress to, LongFunction<? extends Message.Request> build) {
    return send(to, build, true);
  }

  /**
   * Sets how long the node's own requests to an address must be (the default: as encoded). A request shorter than
   * that is padded ({@link org.dialtone.dht.wire.RequestPadding}), so that a node that has not seen a round trip from
   * us may still answer it in full. Follow-ups are never padded: they go to unproven addresses and count against
   * their allowance.
   */
  public void padRequests(java.util.function.ToIntBiFunction<PeerAddress, Message.Request> minBytes) {
    this.minBytes = java.util.Objects.requireNonNull(minBytes, "minBytes");
  }

  /** Sets what decides whether a follow-up datagram of so many bytes may go to an address (the default: always). */
  public void limitFollowUps(java.util.function.BiPredicate<PeerAddress, Integer> mayFollowUp) {
    this.mayFollowUp = java.util.Objects.requireNonNull(mayFollowUp, "mayFollowUp");
  }

  private CompletableFuture<Reply> send(
      PeerAddress to, LongFunction<? extends Message.Request> build, boolean followUp) {
    if (closed) {
      return CompletableFuture.failedFuture(new DhtException(ErrorCode.CLOSED, "node is closed"));
    }
    if (pending.size() >= config.maxPending()) {
      return CompletableFuture.failedFuture(
          new DhtException(ErrorCode.OVERLOADED, pending.size() + " requests already in flight"));
    }
    long txId;
    do {
      txId = random.nextLong();
    } while (pending.containsKey(txId));
    Message.Request request = build.apply(txId);
    byte[] datagram = MessageCodec.encode(request);
    if (!followUp) {
      datagram = RequestPadding.pad(datagram, minBytes.applyAsInt(to, request));
    }
    Pending p = new Pending(txId, to, datagram, scheduler.clock().nanoTime(), followUp);
    pending.put(txId, p);
    transmit(p);
    return p.future;
  }

  /**
   * Matches a reply to its request. Returns false, and changes nothing, when no request with that transaction id
   * went to {@code from}: a reply from elsewhere, a duplicate, or one after the timeout.
   */
  public boolean onResponse(PeerAddress from, Message.Response response) {
    Pending p = pending.get(response.txId());
    if (p == null || !p.to.equals(from)) {
      unsolicited++;
      return false;
    }
    pending.remove(p.txId);
    p.timer.cancel();
    long rttNanos = scheduler.clock().nanoTime() - p.firstSentNanos;
    if (p.transmissions == 1) {
      rtt.sample(rttNanos);
    }
    p.future.complete(new Reply(response, p.transmissions, rttNanos));
    return true;
  }

  /** Fails every request in flight with {@link ErrorCode#CLOSED}; later sends fail at once. */
  public void close() {
    closed = true;
    for (Pending p : pending.values().toArray(new Pending[0])) {
      p.timer.cancel();
      p.future.completeExceptionally(new DhtException(ErrorCode.CLOSED, "node closed"));
    }
    pending.clear();
  }

  /** Requests in flight. */
  public int pendingCount() {
    return pending.size();
  }

  /** Request datagrams sent, retransmissions included. */
  public long sent() {
    return sent;
  }

  /** Retransmissions. */
  public long retransmitted() {
    return retransmitted;
  }

  /** Requests that failed after their last retry. */
  public long timedOut() {
    return timedOut;
  }

  /** Replies that matched no request. */
  public long unsolicited() {
    return unsolicited;
  }

  /** The current timeout for a first transmission. */
  public long currentTimeoutMillis() {
    return rtt.timeoutMillis();
  }

  private void transmit(Pending p) {
    p.transmissions++;
    sent++;
    if (p.transmissions > 1) {
      retransmitted++;
    }
    if (!p.followUp || mayFollowUp.test(p.to, p.datagram.length)) {
      transport.send(p.to, p.datagram);
    }
    p.timer = scheduler.schedule(rtt.timeoutMillis(p.transmissions), () -> onTimeout(p));
  }

  private void onTimeout(Pending p) {
    if (pending.get(p.txId) != p) {
      return;
    }
    if (p.transmissions <= config.maxRetries()) {
      transmit(p);
      return;
    }
    pending.remove(p.txId);
    timedOut++;
    p.future.completeExceptionally(
        new DhtException(ErrorCode.TIMEOUT, "no reply from " + p.to + " after " + p.transmissions + " sends"));
  }
}
