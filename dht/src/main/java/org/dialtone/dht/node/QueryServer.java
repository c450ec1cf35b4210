package org.dialtone.dht.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.api.SignalHandler;
import org.dialtone.dht.api.SignalRefusal;
import org.dialtone.dht.crypto.ChallengeProof;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.PutOutcome;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message.ErrorReply;
import org.dialtone.dht.wire.Message.FindNode;
import org.dialtone.dht.wire.Message.FindValue;
import org.dialtone.dht.wire.Message.Nodes;
import org.dialtone.dht.wire.Message.Notify;
import org.dialtone.dht.wire.Message.NotifyAck;
import org.dialtone.dht.wire.Message.Ping;
import org.dialtone.dht.wire.Message.Pong;
import org.dialtone.dht.wire.Message.Request;
import org.dialtone.dht.wire.Message.Signal;
import org.dialtone.dht.wire.Message.SignalAck;
import org.dialtone.dht.wire.Message.Store;
import org.dialtone.dht.wire.Message.StoreAck;
import org.dialtone.dht.wire.Message.Subscribe;
import org.dialtone.dht.wire.Message.Subscribed;
import org.dialtone.dht.wire.Message.Values;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;

/**
 * Answers the requests a full node serves (NOTIFY goes to the node's watches). Every reply fits one datagram: NODES
 * carries the contacts of the requester's address family that fit and is paged when they do not all fit
 * ({@link NodePages}), and VALUES carries as many records as fit, from the requested offset (the requester pages
 * through the rest). Also tells subscribers, and this node's
 * own watches, of every record the store accepts as new ({@link #afterStored}).
 */
public final class QueryServer {
  private final NodeContext ctx;
  private final Consumer<SignedRecord> localWatches;
  private final NotifyBudget notifyBudget;
  private volatile SignalHandler signals = SignalHandler.NONE;

  /** @param localWatches told of every record the store accepts as new: this node's own watches */
  public QueryServer(NodeContext ctx, Consumer<SignedRecord> localWatches) {
    this.ctx = ctx;
    this.localWatches = localWatches;
    // A sixteenth of the RPC layer's pending requests at most: the rest stays for the node's own lookups.
    this.notifyBudget = new NotifyBudget(Math.min(NotifyBudget.DEFAULT_MAX_IN_FLIGHT,
        Math.max(1, ctx.config.rpc().maxPending() / 16)));
  }

  /** Sets what this node does with the SIGNALs it receives ({@link SignalHandler#NONE} until then). */
  public void onSignals(SignalHandler handler) {
    this.signals = java.util.Objects.requireNonNull(handler, "handler");
  }

  /**
   * Room kept, when answering an unproven address, for the PING that asks it to prove a round trip (with our key and
   * a challenge, the largest such PING), so the proof can follow the reply within the same allowance.
   */
  static final int PROVING_PING_RESERVE = MessageCodec.encodedSize(new Ping(Long.MIN_VALUE,
      Optional.of(org.dialtone.dht.crypto.Identity.generate().publicKey()),
      Optional.of(Blob.of(new byte[Message.CHALLENGE_BYTES]))));

  /** Answers {@code request} from {@code from} (node thread; NOTIFYs go to the node's watches, not here). */
  public void handle(PeerAddress from, Request request) {
    ctx.metrics.inc(Counter.REQUESTS_SERVED);
    Optional<Blob> proof = request.challenge().map(ch -> {
      ctx.metrics.inc(Counter.PROOFS_SIGNED);
      return Blob.of(ChallengeProof.sign(ctx.identity, ch.toArray()));
    });
    // What the reply may weigh: a full datagram to a proven address, else three times what the address sent us,
    // less room for the proving PING (AmplificationGuard). NODES and VALUES shrink to fit; a reply that cannot fit
    // at all is withheld by the transport.
    int budget = ctx.guard.isProven(from, ctx.clock.monotonicMillis()) ? Message.MAX_DATAGRAM_BYTES
        : (int) Math.min(Message.MAX_DATAGRAM_BYTES,
            (long) ctx.guard.allowance(from, ctx.clock.monotonicMillis()) - PROVING_PING_RESERVE);
    byte[] reply = request.accept(new Request.Visitor<byte[]>() {
      @Override
      public byte[] ping(Ping p) {
        return MessageCodec.encode(new Pong(p.txId(), ctx.identity.publicKey(), proof, from));
      }

      @Override
      public byte[] findNode(FindNode f) {
        return nodesReply(from, f, proof, budget);
      }

      @Override
      public byte[] findValue(FindValue f) {
        return valuesReply(from, f, proof, budget);
      }

      @Override
      public byte[] store(Store s) {
        return storeReply(from, s);
      }

      @Override
      public byte[] subscribe(Subscribe s) {
        return subscribeReply(from, s);
      }

      @Override
      public byte[] notify(Notify n) {
        return error(n, ErrorCode.UNSUPPORTED, "NOTIFY is answered by the node's watches");
      }

      @Override
      public byte[] signal(Signal s) {
        return signalReply(from, s);
      }
    });
    ctx.reply(from, reply);
  }

  // The k closest of the requester's family, paged: the page from the requested offset that fits the budget.
  private byte[] nodesReply(PeerAddress from, FindNode f, Optional<Blob> proof, int budget) {
    List<NodeInfo> nodes = closestFor(f.target(), f.sender().map(k -> k.nodeId()), from);
    Blob token = Blob.of(ctx.tokens.issue(from, ctx.clock.monotonicMillis()));
    Nodes page = NodePages.page(nodes, f.offset(), budget,
        (n, offset, total) -> new Nodes(f.txId(), ctx.identity.publicKey(), proof, n, token, offset, total));
    if (page.hasMore() && budget < Message.MAX_DATAGRAM_BYTES) {
      ctx.metrics.inc(Counter.REPLIES_TRUNCATED); // cut short for an unproven address (the rest is paged)
    }
    return MessageCodec.encode(page);
  }

  private byte[] valuesReply(PeerAddress from, FindValue f, Optional<Blob> proof, int limit) {
    List<SignedRecord> all = ctx.store.get(f.key(), ctx.clock.epochMillis());
    int offset = Math.min(f.offset(), all.size());
    List<NodeInfo> nodes = f.wantNodes() ? closestFor(f.key(), f.sender().map(k -> k.nodeId()), from) : List.of();
    Blob token = f.wantNodes() ? Blob.of(ctx.tokens.issue(from, ctx.clock.monotonicMillis())) : Blob.of(new byte[0]);
    // Size the page without records first, then add records while they fit.
    int base = MessageCodec.encodedSize(
        new Values(f.txId(), ctx.identity.publicKey(), proof, nodes, token, List.of(), offset, all.size()));
    if (base > limit && !nodes.isEmpty() && limit < Message.MAX_DATAGRAM_BYTES) {
      ctx.metrics.inc(Counter.REPLIES_TRUNCATED);
    }
    while (base > limit && !nodes.isEmpty()) {
      nodes = nodes.subList(0, nodes.size() - 1);
      base = MessageCodec.encodedSize(
          new Values(f.txId(), ctx.identity.publicKey(), proof, nodes, token, List.of(), offset, all.size()));
    }
    int budget = limit - base - 4; // the records array header grows by up to 4 bytes
    List<SignedRecord> page = new ArrayList<>();
    for (int i = offset; i < all.size(); i++) {
      int size = MessageCodec.encodeRecord(all.get(i)).length;
      if (size > budget) {
        if (limit < Message.MAX_DATAGRAM_BYTES) {
          ctx.metrics.inc(Counter.REPLIES_TRUNCATED);
        }
        break;
      }
      budget -= size;
      page.add(all.get(i));
    }
    return MessageCodec.encode(
        new Values(f.txId(), ctx.identity.publicKey(), proof, nodes, token, page, offset, all.size()));
  }

  private byte[] storeReply(PeerAddress from, Store s) {
    if (!ctx.tokens.isValid(s.token().toArray(), from, ctx.clock.monotonicMillis())) {
      ctx.metrics.inc(Counter.STORES_REFUSED);
      return error(s, ErrorCode.BAD_TOKEN, "no valid write token for " + from);
    }
    ctx.guard.markProven(from, ctx.clock.monotonicMillis()); // it received the token we sent it: a round trip
    PutOutcome outcome = ctx.store.put(s.record(), Optional.of(ctx.sourcePrefix(from)), ctx.clock.epochMillis());
    if (outcome instanceof PutOutcome.Refused refused) {
      ctx.metrics.inc(Counter.STORES_REFUSED);
      return error(s, refused.code(), refused.reason());
    }
    ctx.metrics.inc(Counter.STORES_ACCEPTED);
    if (outcome instanceof PutOutcome.Stored) {
      afterStored(s.record());
    }
    return MessageCodec.encode(new StoreAck(s.txId(), ctx.identity.publicKey(), Optional.empty()));
  }

  /**
   * A SIGNAL goes to the node's handler, which checks the envelope and hands it to the recipient's session. The
   * reply is an ack or a typed refusal, never more than three times the request (the message is left out when it
   * would be), so a SIGNAL with a spoofed source cannot be turned into a larger datagram at a victim.
   */
  private byte[] signalReply(PeerAddress from, Signal s) {
    return signalAnswer(s, signals.onSignal(from, s.envelope().toArray()), ctx.identity.publicKey());
  }

  /** The answer to SIGNAL {@code s}: an ack, or the refusal, without its message when that would pass 3x. */
  static byte[] signalAnswer(Signal s, Optional<SignalRefusal> refusal, org.dialtone.dht.crypto.PublicKey responder) {
    if (refusal.isEmpty()) {
      return MessageCodec.encode(new SignalAck(s.txId(), responder));
    }
    byte[] reply = MessageCodec.encode(new ErrorReply(s.txId(), responder, Optional.empty(), refusal.get().code(),
        refusal.get().message()));
    return reply.length <= 3 * MessageCodec.encodedSize(s) ? reply
        : MessageCodec.encode(new ErrorReply(s.txId(), responder, Optional.empty(), refusal.get().code(), ""));
  }

  /**
   * A SUBSCRIBE needs a write token handed to the requester's address, exactly as a STORE does: otherwise a spoofed
   * source could subscribe a victim's address and turn this node into a cannon of NOTIFYs aimed at it.
   */
  private byte[] subscribeReply(PeerAddress from, Subscribe s) {
    long now = ctx.clock.monotonicMillis();
    if (!ctx.tokens.isValid(s.token().toArray(), from, now)) {
      return error(s, ErrorCode.BAD_TOKEN, "no valid write token for " + from);
    }
    ctx.guard.markProven(from, now); // it received the token we sent it: a round trip
    int granted = Subscriptions.grant(s.ttlSeconds());
    if (granted == 0) {
      ctx.subscriptions.remove(s.key(), from);
      return MessageCodec.encode(new Subscribed(s.txId(), ctx.identity.publicKey(), 0));
    }
    Subscriptions.Result result = ctx.subscriptions.subscribe(s.key(), from, granted * 1000L, now);
    if (!result.accepted()) {
      return error(s, ErrorCode.OVERLOADED, "no room for the subscription: " + result);
    }
    ctx.metrics.inc(Counter.SUBSCRIPTIONS);
    return MessageCodec.encode(new Subscribed(s.txId(), ctx.identity.publicKey(), granted));
  }

  /**
   * The store accepted {@code record} as new or replacing ({@link PutOutcome.Stored}): this node's own watches of the
   * key hear of it, and every live subscriber gets a NOTIFY. The NOTIFYs go through the RPC layer, so they are
   * retransmitted and time out like any request; a subscriber that times out too often in a row is dropped. They
   * spend their own {@link NotifyBudget}: one in flight per subscriber, a few in all; past it they are dropped.
   */
  public void afterStored(SignedRecord record) {
    localWatches.accept(record);
    for (PeerAddress to : ctx.subscriptions.subscribers(record.key(), ctx.clock.monotonicMillis())) {
      switch (notifyBudget.offer(to, record)) {
        case SEND -> notify(to, record);
        case WAITING -> { }
        case DROPPED -> ctx.metrics.inc(Counter.NOTIFICATIONS_DROPPED);
      }
    }
  }

  // Sends one NOTIFY holding the subscriber's in-flight slot; when it ends, the next record waiting goes out.
  private void notify(PeerAddress to, SignedRecord record) {
    NodeId key = record.key();
    ctx.metrics.inc(Counter.NOTIFICATIONS_SENT);
    ctx.rpc.send(to, tx -> new Notify(tx, ctx.identity.publicKey(), record)).whenComplete((reply, error) -> {
      boolean acknowledged = reply != null && reply.response() instanceof NotifyAck;
      if (acknowledged) {
        ctx.subscriptions.onDelivered(key, to);
      } else if (reply == null && isTimeout(error)) {
        ctx.subscriptions.onFailed(key, to);
      }
      notifyBudget.onDone(to, acknowledged).ifPresent(next -> notify(to, next));
    });
  }

  private static boolean isTimeout(Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
    return cause instanceof DhtException e && e.code() == ErrorCode.TIMEOUT;
  }

  private byte[] error(Request r, ErrorCode code, String message) {
    return MessageCodec.encode(new ErrorReply(r.txId(), ctx.identity.publicKey(), Optional.empty(), code, message));
  }

  /**
   * The k closest contacts to the target that the requester can use: those of its address family (BEP 32's rule: an
   * IPv4 requester gets IPv4 contacts, an IPv6 one IPv6 contacts; a dual-stack node's table holds both), leaving out
   * the requester itself (it knows where it is).
   */
  private List<NodeInfo> closestFor(NodeId target, Optional<NodeId> requester, PeerAddress from) {
    int k = ctx.config.k();
    boolean ipv4 = from.isIpv4();
    List<NodeInfo> out = new ArrayList<>(k);
    // k + 1 of the requester's family (one may be the requester itself), even from a mixed table without sorting it
    for (Contact c : ctx.table.closest(target, k + 1, contact -> contact.address().isIpv4() == ipv4)) {
      if (out.size() < k && !requester.map(c.id()::equals).orElse(false)) {
        out.add(new NodeInfo(c.id(), c.address()));
      }
    }
    return out;
  }
}
