package org.dialtone.dht.node;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.dialtone.dht.api.PutResult;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.record.PutOutcome;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.rpc.Rpc;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.Message.Store;

/**
 * A put: the record is checked before anything is sent, a FIND_NODE lookup of its key collects the closest nodes
 * and their write tokens, and the record is stored on the {@linkplain org.dialtone.dht.api.DhtConfig#replication()
 * replication} closest of them that handed a token (this node among them when it is that close and not a client).
 * The put completes when the last STORE is answered or timed out: with the replicas and each refusal's code, or
 * with {@link ErrorCode#NOT_STORED} when none stored it.
 */
public final class PutReplicator {
  private final NodeContext ctx;
  private final Contacts contacts;
  private final QueryServer server;

  public PutReplicator(NodeContext ctx, Contacts contacts, QueryServer server) {
    this.ctx = ctx;
    this.contacts = contacts;
    this.server = server;
  }

  /** Starts putting {@code record}, completing {@code f}; returns what stops it (node thread). */
  public Runnable start(SignedRecord record, CompletableFuture<PutResult> f) {
    Optional<ErrorCode> invalid =
        record.check(record.key(), ctx.clock.epochMillis(), ctx.config.store().maxTtlSeconds());
    if (invalid.isPresent()) {
      f.completeExceptionally(new DhtException(invalid.get(), "refusing to put an invalid record " + record));
      return () -> { };
    }
    LookupRunner runner = new LookupRunner(ctx, contacts, record.key(), LookupRunner.Kind.FIND_NODE,
        Integer.MAX_VALUE, outcome -> storeOnClosest(record, outcome, f));
    runner.start();
    return runner::cancel;
  }

  private void storeOnClosest(SignedRecord record, LookupRunner.Outcome outcome, CompletableFuture<PutResult> f) {
    if (f.isDone()) {
      return;
    }
    int replication = ctx.config.replication();
    List<NodeInfo> targets = new ArrayList<>();
    for (NodeInfo n : outcome.closest()) {
      if (targets.size() < replication && outcome.tokens().containsKey(n.id())) {
        targets.add(n);
      }
    }
    int localReplicas = 0;
    boolean selfIsClose = targets.size() < replication
        || record.key().compareDistance(ctx.identity.nodeId(), targets.get(targets.size() - 1).id()) < 0;
    if (!ctx.config.clientMode() && selfIsClose) {
      PutOutcome stored = ctx.store.put(record, ctx.clock.epochMillis());
      if (stored instanceof PutOutcome.Stored) {
        server.afterStored(record);
      }
      if (!(stored instanceof PutOutcome.Refused)) {
        localReplicas = 1;
        if (targets.size() >= replication) {
          targets.remove(targets.size() - 1);
        }
      }
    }
    StoreTally tally = new StoreTally(record, outcome, targets.size(), localReplicas, f);
    for (NodeInfo n : targets) {
      Blob token = outcome.tokens().get(n.id());
      ctx.rpc.send(n.address(), tx -> new Store(tx, ctx.senderKey(), token, record))
          .whenComplete((reply, error) -> tally.onReply(n, reply));
    }
    tally.finishIfDone();
  }

  /** Counts the answers to a put's STOREs and completes the put when the last one is in. */
  private final class StoreTally {
    final SignedRecord record;
    final LookupRunner.Outcome outcome;
    final CompletableFuture<PutResult> future;
    final Map<ErrorCode, Integer> refusals = new EnumMap<>(ErrorCode.class);
    int outstanding;
    int replicas;
    int messages;

    StoreTally(SignedRecord record, LookupRunner.Outcome outcome, int outstanding, int replicas,
        CompletableFuture<PutResult> future) {
      this.record = record;
      this.outcome = outcome;
      this.outstanding = outstanding;
      this.replicas = replicas;
      this.future = future;
      this.messages = outcome.stats().messages();
    }

    void onReply(NodeInfo n, Rpc.Reply reply) {
      outstanding--;
      if (reply == null) {
        messages += ctx.config.rpc().maxRetries() + 1;
        refusals.merge(ErrorCode.TIMEOUT, 1, Integer::sum);
        contacts.onFailure(n.id());
      } else {
        messages += reply.transmissions();
        if (reply.response() instanceof Message.StoreAck) {
          replicas++;
        } else if (reply.response() instanceof Message.ErrorReply err) {
          refusals.merge(err.code(), 1, Integer::sum);
        }
      }
      finishIfDone();
    }

    void finishIfDone() {
      if (outstanding > 0 || future.isDone()) {
        return;
      }
      if (replicas == 0) {
        future.completeExceptionally(new DhtException(ErrorCode.NOT_STORED,
            "no node stored " + record + " (closest found: " + outcome.closest().size() + ", refusals: " + refusals
                + ")"));
      } else {
        future.complete(new PutResult(record.key(), replicas, refusals, outcome.stats(), messages));
      }
    }
  }
}
