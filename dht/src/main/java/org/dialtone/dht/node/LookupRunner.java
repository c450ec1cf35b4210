package org.dialtone.dht.node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.lookup.Lookup;
import org.dialtone.dht.lookup.LookupRules;
import org.dialtone.dht.lookup.LookupStats;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.rpc.Rpc;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message.FindNode;
import org.dialtone.dht.wire.Message.FindValue;
import org.dialtone.dht.wire.Message.Nodes;
import org.dialtone.dht.wire.Message.Values;
import org.dialtone.dht.wire.Message;

/**
 * Drives one {@link Lookup} over the RPC layer: sends FIND_NODE or FIND_VALUE to whatever the state machine asks
 * for, feeds back replies and failures, checks that every responder is the node it was asked as, and, for
 * FIND_VALUE, verifies and merges the records (newest sequence per publisher wins) and pages through large sets.
 *
 * <p>Against poisoned answers (with the rules of {@link LookupRules}): a node the routing table knows is always asked
 * at the address it proved there, whatever a referral says; a node it does not know must sign a challenge in its
 * answer, so an address cannot answer for a key it does not hold; a public responder's referrals into private or
 * loopback ranges are dropped; and a query slower than {@link #STALL_FACTOR} times the slowest answer so far stops
 * holding the lookup up, so fabricated contacts cost a few round trips, not timeouts.
 */
public final class LookupRunner {
  /** What the lookup asks. */
  public enum Kind { FIND_NODE, FIND_VALUE }

  /**
   * The result.
   *
   * @param closest the closest nodes that answered, nearest first
   * @param tokens the write token each of them handed us
   * @param records for FIND_VALUE, the newest valid record of each publisher
   * @param stats cost and path length
   */
  public record Outcome(List<NodeInfo> closest, Map<NodeId, Blob> tokens, List<SignedRecord> records, LookupStats stats) {}

  private final NodeContext ctx;
  private final Contacts contacts;
  private final NodeId target;
  private final Kind kind;
  private final int enoughRecords;
  private final Consumer<Outcome> onDone;
  private final Lookup lookup;
  private final Map<NodeId, Blob> tokens = new HashMap<>();
  private final Map<PublicKey, SignedRecord> records = new LinkedHashMap<>();
  private final Map<NodeId, Integer> pagesFetched = new HashMap<>();
  /** A query stalls after this many times the slowest round trip this lookup has seen. */
  static final int STALL_FACTOR = 2;
  /** ... but never sooner than this: a busy event loop is not a dead peer. */
  static final long MIN_STALL_MILLIS = 10;

  private final long startNanos;
  private long slowestRttNanos;
  private int pagesInFlight;
  private int messages;
  private boolean done;

  public LookupRunner(NodeContext ctx, Contacts contacts, NodeId target, Kind kind, int enoughRecords,
      Consumer<Outcome> onDone) {
    this(ctx, contacts, target, kind, enoughRecords, ctx.config.maxLookupQueries(), onDone);
  }

  /** A lookup that queries at most {@code maxQueries} nodes (a short one, for filling a bucket). */
  public LookupRunner(NodeContext ctx, Contacts contacts, NodeId target, Kind kind, int enoughRecords, int maxQueries,
      Consumer<Outcome> onDone) {
    this.ctx = ctx;
    this.contacts = contacts;
    this.target = target;
    this.kind = kind;
    this.enoughRecords = enoughRecords;
    this.onDone = onDone;
    this.startNanos = ctx.clock.nanoTime();
    List<NodeInfo> seeds = new ArrayList<>();
    for (Contact c : ctx.table.closest(target, ctx.config.k())) {
      seeds.add(new NodeInfo(c.id(), c.address()));
    }
    LookupRules rules =
        LookupRules.defaults(info -> limited(ctx, info.address()) ? info.address().sourcePrefix() : null);
    if (kind == Kind.FIND_VALUE && enoughRecords != Integer.MAX_VALUE) {
      // A get that stops at its first records costs what a classic one does: alpha in flight in all, one per path,
      // the first round asking the same nearest contacts. Every record is signed, so a hostile path cannot make up
      // a value; it can only fail to find one, and the other paths go on. Puts and full reads keep alpha per path.
      rules = rules.withMaxInFlight(ctx.config.alpha());
    }
    this.lookup = new Lookup(target, ctx.config.k(), ctx.config.alpha(), maxQueries, seeds, rules);
    ctx.table.touchBucket(Math.min(ctx.table.bucketIndexOf(target), 255), ctx.clock.monotonicMillis());
  }

  /** Starts querying; {@code onDone} runs once, on the node's thread. */
  public void start() {
    ctx.metrics.inc(Counter.LOOKUPS);
    if (kind == Kind.FIND_VALUE && !ctx.config.clientMode()) {
      merge(ctx.store.get(target, ctx.clock.epochMillis()));
    }
    pump();
  }

  /** Stops asking; the outcome so far is delivered. */
  public void cancel() {
    lookup.stop();
    finish();
  }

  private void pump() {
    if (done) {
      return;
    }
    if (kind == Kind.FIND_VALUE && records.size() >= enoughRecords) {
      lookup.stop();
    }
    for (NodeInfo n : lookup.next()) {
      query(n);
    }
    if (lookup.isFinished() && (pagesInFlight == 0 || lookup.inFlight() == 0 && records.size() >= enoughRecords)) {
      finish();
    }
  }

  private void query(NodeInfo n) {
    // A node the table knows proved its key at its table address, and needs no challenge there; any other must sign
    // one, so that a referral cannot point a known id, or an unknown one, at an address of the referrer's choosing.
    boolean known = ctx.table.get(n.id()).map(c -> c.address().equals(n.address())).orElse(false);
    Optional<byte[]> forTable = contacts.challengeFor(n.id());
    Optional<byte[]> challenge = known ? Optional.empty() : Optional.of(forTable.orElseGet(ctx::newChallenge));
    Optional<Blob> ch = challenge.map(Blob::of);
    Optional<PublicKey> sender = ctx.senderKey();
    long stallNanos = slowestRttNanos == 0 ? Long.MAX_VALUE
        : Math.max(MIN_STALL_MILLIS * 1_000_000L, STALL_FACTOR * slowestRttNanos);
    Cancellable stall = stallNanos == Long.MAX_VALUE ? () -> { }
        : ctx.scheduler.schedule(stallNanos / 1_000_000L, () -> {
          lookup.onStalled(n.id());
          pump();
        });
    ctx.rpc.send(n.address(), tx -> kind == Kind.FIND_NODE
            ? new FindNode(tx, sender, ch, target)
            : new FindValue(tx, sender, ch, target, 0, true))
        .whenComplete((reply, error) -> {
          stall.cancel();
          messages += transmissions(reply, error);
          if (reply == null || !accept(n, reply.response(), challenge, forTable.isPresent())) {
            contacts.onFailure(n.id());
            lookup.onFailure(n.id());
          } else {
            if (reply.transmissions() == 1) {
              slowestRttNanos = Math.max(slowestRttNanos, reply.rttNanos());
            }
            if (reply.response() instanceof Nodes page && needsNextPage(page, page.nodes().size())) {
              fetchNodePages(n, page, new ArrayList<>(closer(n.address(), page)), 1);
              return; // the node stays in flight until its pages are in
            }
            lookup.onSuccess(n.id(), closer(n.address(), reply.response()));
          }
          pump();
        });
  }

  // A lookup takes at most alpha new candidates from one answer, the nearest first (LookupRules), so it fetches
  // further NODES pages only while it has fewer than that from this node: a first page cut short for an unproven
  // address, or a node that did not pad. At most MAX_NODE_PAGES pages per node, and each must make progress.
  private boolean needsNextPage(Nodes page, int referralsSoFar) {
    return page.hasMore() && !page.nodes().isEmpty() && referralsSoFar < ctx.config.alpha();
  }

  private void fetchNodePages(NodeInfo n, Nodes page, List<NodeInfo> referrals, int pages) {
    int next = page.offset() + page.nodes().size();
    if (pages >= MAX_NODE_PAGES || done) {
      lookup.onSuccess(n.id(), referrals);
      pump();
      return;
    }
    ctx.rpc.send(n.address(), tx -> new FindNode(tx, ctx.senderKey(), Optional.empty(), target, next))
        .whenComplete((reply, error) -> {
          messages += transmissions(reply, error);
          if (reply != null && reply.response() instanceof Nodes more
              && more.responder().nodeId().equals(n.id()) && more.offset() == next) {
            referrals.addAll(closer(n.address(), more));
            if (needsNextPage(more, referrals.size())) {
              fetchNodePages(n, more, referrals, pages + 1);
              return;
            }
          }
          lookup.onSuccess(n.id(), referrals);
          pump();
        });
  }

  // Whether the per-network limits apply to an address: public ones always, local ones when the routing config
  // applies its subnet limits to all addresses (tests of the limits on loopback).
  private static boolean limited(NodeContext ctx, PeerAddress address) {
    return ctx.config.routing().subnetLimitsForAllAddresses() || !address.isLocal();
  }

  // True when the reply is the right kind from the right node; records its token, records and further pages.
  private boolean accept(NodeInfo n, Message.Response response, Optional<byte[]> challenge, boolean admit) {
    if (!response.responder().nodeId().equals(n.id())) {
      ctx.metrics.inc(Counter.ID_MISMATCH);
      return false;
    }
    if (!(admit ? contacts.onReply(n.address(), response, challenge)
        : contacts.proves(n.address(), response, challenge))) {
      return false;
    }
    if (kind == Kind.FIND_NODE && response instanceof Nodes nodes) {
      tokens.put(n.id(), nodes.token());
      return true;
    }
    if (kind == Kind.FIND_VALUE && response instanceof Values values) {
      tokens.put(n.id(), values.token());
      merge(values.records());
      fetchMorePages(n, values);
      return true;
    }
    return false; // an ERROR reply, or the wrong kind of reply
  }

  /** The most NODES pages a lookup reads from one node: 20 IPv6 contacts fit 3 pages of an unproven budget. */
  static final int MAX_NODE_PAGES = 4;

  private void fetchMorePages(NodeInfo n, Values page) {
    int next = page.offset() + page.records().size();
    int fetched = pagesFetched.getOrDefault(n.id(), 0);
    if (page.records().isEmpty() && page.offset() > 0 || next >= page.total() || records.size() >= enoughRecords
        || fetched >= ctx.config.maxValuePagesPerNode()) {
      return;
    }
    pagesFetched.put(n.id(), fetched + 1);
    pagesInFlight++;
    ctx.rpc.send(n.address(), tx -> new FindValue(tx, ctx.senderKey(), Optional.empty(), target, next, false))
        .whenComplete((reply, error) -> {
          pagesInFlight--;
          messages += transmissions(reply, error);
          if (reply != null && reply.response() instanceof Values more
              && more.responder().nodeId().equals(n.id()) && more.offset() == next) {
            merge(more.records());
            fetchMorePages(n, more);
          }
          pump();
        });
  }

  private int transmissions(Rpc.Reply reply, Throwable error) {
    if (reply != null) {
      return reply.transmissions();
    }
    Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
    return cause instanceof DhtException e && e.code() == ErrorCode.TIMEOUT ? ctx.config.rpc().maxRetries() + 1 : 0;
  }

  // The referrals worth following: not ourselves; not a private or loopback address from a public responder (it
  // cannot reach those for us; they aim our queries into our own network); and a node our table knows, at the address
  // it proved there rather than the one referred (an id is re-learned at a new address only by proving its key).
  private Collection<NodeInfo> closer(PeerAddress responder, Message.Response response) {
    List<NodeInfo> nodes = response instanceof Nodes n ? n.nodes()
        : response instanceof Values v ? v.nodes() : List.of();
    List<NodeInfo> out = new ArrayList<>(nodes.size());
    for (NodeInfo info : nodes) {
      if (info.id().equals(ctx.identity.nodeId())) {
        continue;
      }
      if (!responder.isLocal() && info.address().isLocal()) {
        ctx.metrics.inc(Counter.REFERRALS_DROPPED);
        continue;
      }
      out.add(ctx.table.get(info.id()).map(c -> new NodeInfo(c.id(), c.address())).orElse(info));
    }
    return out;
  }

  // Readers verify again: a record counts only if it is under the key we asked for, unexpired and signed. A copy
  // that could not replace what we hold (the same or an older version from the same publisher, as every replica
  // after the first sends) is skipped before its signature is checked: verifying it could change nothing.
  private void merge(List<SignedRecord> page) {
    long now = ctx.clock.epochMillis();
    for (SignedRecord r : page) {
      SignedRecord held = records.get(r.publisher());
      if (held != null && held.seq() >= r.seq()) {
        continue;
      }
      if (r.check(target, now, ctx.config.store().maxTtlSeconds()).isPresent()) {
        ctx.metrics.inc(Counter.RECORDS_REJECTED);
        continue;
      }
      records.merge(r.publisher(), r, (old, neu) -> neu.seq() > old.seq() ? neu : old);
    }
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    List<NodeInfo> closest = lookup.closestSucceeded();
    Map<NodeId, Blob> closestTokens = new HashMap<>();
    for (NodeInfo n : closest) {
      Blob t = tokens.get(n.id());
      if (t != null) {
        closestTokens.put(n.id(), t);
      }
    }
    ctx.metrics.add(Counter.REFERRALS_DROPPED, lookup.referralsDropped());
    LookupStats stats = new LookupStats(lookup.hops(), lookup.queried(), lookup.succeeded(), lookup.failed(),
        messages, ctx.clock.nanoTime() - startNanos);
    onDone.accept(new Outcome(closest, closestTokens, List.copyOf(records.values()), stats));
  }
}
