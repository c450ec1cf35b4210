package org.dialtone.dht.node;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.crypto.ChallengeProof;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.routing.InsertResult;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message.FindNode;
import org.dialtone.dht.wire.Message.Nodes;
import org.dialtone.dht.wire.Message.Ping;
import org.dialtone.dht.wire.Message.Store;
import org.dialtone.dht.wire.Message;

/**
 * Who gets into the routing table, and keeping it fresh. A contact is admitted only after it answered one of our
 * requests and signed the challenge in it; a challenge is sent only when the contact's bucket has room, so each
 * contact costs one signature verification, once. Also runs the table's ping-before-evict checks and hands stored
 * records to new close neighbours.
 */
public final class Contacts {
  private static final System.Logger LOG = System.getLogger(Contacts.class.getName());

  private final NodeContext ctx;
  // Addresses we are asking to prove their key after they sent us a request; bounded by config.
  private final Set<PeerAddress> verifying = new HashSet<>();

  public Contacts(NodeContext ctx) {
    this.ctx = ctx;
  }

  /** A challenge to attach to a request to {@code id}, when an answer could admit it to the table. */
  public Optional<byte[]> challengeFor(NodeId id) {
    if (id.equals(ctx.identity.nodeId()) || ctx.table.contains(id) || !ctx.table.hasRoomFor(id)) {
      return Optional.empty();
    }
    return Optional.of(ctx.newChallenge());
  }

  /**
   * A reply came from {@code from}. Refreshes a known contact, or admits a new one whose signature proves the key
   * when {@code challenge} was sent. Returns false when a proof was asked for and is missing or wrong.
   */
  public boolean onReply(PeerAddress from, Message.Response reply, Optional<byte[]> challenge) {
    PublicKey key = reply.responder();
    NodeId id = key.nodeId();
    long now = ctx.clock.monotonicMillis();
    if (ctx.table.markSeen(id, from, now)) {
      return true;
    }
    if (challenge.isEmpty()) {
      return true;
    }
    if (!checkProof(reply, challenge.get())) {
      return false;
    }
    if (!id.equals(ctx.identity.nodeId())) {
      ctx.metrics.inc(Counter.CONTACTS_VERIFIED);
      offer(new Contact(id, key, from));
    }
    return true;
  }

  /**
   * As {@link #onReply} without offering a new contact to the table: refreshes a known one, and when
   * {@code challenge} was sent, checks the proof. For lookups, which ask every node outside the table to prove its
   * key but need not file each of them.
   */
  boolean proves(PeerAddress from, Message.Response reply, Optional<byte[]> challenge) {
    ctx.table.markSeen(reply.responder().nodeId(), from, ctx.clock.monotonicMillis());
    return challenge.isEmpty() || checkProof(reply, challenge.get());
  }

  // Verifies the signature of our challenge in a reply (counted: the cost of joining is counted in proofs).
  private boolean checkProof(Message.Response reply, byte[] challenge) {
    ctx.metrics.inc(Counter.PROOFS_VERIFIED);
    Optional<Blob> sig = reply.challengeSignature();
    if (sig.isEmpty() || !ChallengeProof.verify(reply.responder(), challenge, sig.get().toArray())) {
      ctx.metrics.inc(Counter.PROOFS_FAILED);
      return false;
    }
    return true;
  }

  /**
   * Proves each claimed contact before it may enter the table: a PING with a challenge to its claimed address, and
   * admission only when the answer comes from there signed by its claimed key. At most
   * {@code maxPendingVerifications} are asked at once (the rest are skipped: the caller learns them again later).
   * {@code done} gets how many were admitted, once every answer or timeout is in.
   */
  public void verify(List<Contact> claimed, java.util.function.IntConsumer done) {
    int[] remaining = {claimed.size() + 1};
    int[] admitted = {0};
    Runnable oneDone = () -> {
      if (--remaining[0] == 0) {
        done.accept(admitted[0]);
      }
    };
    for (Contact c : claimed) {
      PeerAddress to = c.address();
      if (c.id().equals(ctx.identity.nodeId()) || ctx.table.contains(c.id())
          || verifying.size() >= ctx.config.maxPendingVerifications() || !verifying.add(to)) {
        oneDone.run();
        continue;
      }
      byte[] challenge = ctx.newChallenge();
      ctx.rpc.send(to, tx -> new Ping(tx, ctx.senderKey(), Optional.of(Blob.of(challenge))))
          .whenComplete((reply, error) -> {
            verifying.remove(to);
            if (reply != null && reply.response().responder().equals(c.publicKey())
                && onReply(to, reply.response(), Optional.of(challenge)) && ctx.table.contains(c.id())) {
              admitted[0]++;
            }
            oneDone.run();
          });
    }
    oneDone.run();
  }

  /** A request to a contact failed: the table counts it and may replace the contact. */
  public void onFailure(NodeId id) {
    if (ctx.table.contains(id)) {
      ctx.table.markFailed(id).ifPresent(this::onAdmitted);
    }
  }

  /**
   * A request came from {@code from}, claiming {@code sender}. Two reasons to ping it back: when it claims a key and
   * its bucket has room, with a challenge (the claim alone proves nothing, the signed answer from that address does);
   * and when the address has not proven a round trip, so that its next requests are answered in full (see
   * {@link org.dialtone.dht.rpc.AmplificationGuard}). The ping, and its retransmissions, count against the address's
   * allowance like the reply: a forged source gets at most three times what it sent, all told.
   */
  public void onInboundRequest(Optional<PublicKey> sender, PeerAddress from) {
    if (ctx.config.clientMode()) {
      return; // a client answers pings; it never asks its servers to prove anything
    }
    boolean unproven = !ctx.guard.isProven(from, ctx.clock.monotonicMillis());
    Optional<byte[]> challenge = sender.isEmpty() || ctx.config.clientMode()
        ? Optional.empty() : challengeFor(sender.get().nodeId());
    if (challenge.isEmpty() && !unproven) {
      return;
    }
    if (verifying.size() >= ctx.config.maxPendingVerifications() || verifying.contains(from)) {
      return;
    }
    verifying.add(from);
    ctx.rpc.sendFollowUp(from, tx -> new Ping(tx, ctx.senderKey(), challenge.map(Blob::of)))
        .whenComplete((reply, error) -> {
          verifying.remove(from);
          if (reply != null && challenge.isPresent() && reply.response().responder().equals(sender.get())) {
            onReply(from, reply.response(), challenge);
          }
        });
  }

  /** Offers a verified contact and follows up on what the table answers. */
  public void offer(Contact contact) {
    InsertResult result = ctx.table.offer(contact, ctx.clock.monotonicMillis());
    if (result instanceof InsertResult.Inserted inserted) {
      onAdmitted(inserted.contact());
    } else if (result instanceof InsertResult.PendingCheck check) {
      checkLiveness(check.leastRecentlySeen());
    }
  }

  // Ping-before-evict: the bucket is full, so its least recently seen contact must answer to keep its place.
  private void checkLiveness(Contact oldest) {
    ctx.rpc.send(oldest.address(), tx -> new Ping(tx, ctx.senderKey(), Optional.empty()))
        .whenComplete((reply, error) -> {
          boolean alive = reply != null && reply.response().responder().equals(oldest.publicKey());
          ctx.table.onCheckResult(oldest.id(), alive, ctx.clock.monotonicMillis()).ifPresent(this::onAdmitted);
        });
  }

  private void onAdmitted(Contact contact) {
    if (!ctx.config.clientMode() && ctx.config.maxHandoffRecords() > 0 && ctx.store.size() > 0) {
      handOff(contact);
    }
  }

  /**
   * A new neighbour may now be among the k closest to keys we hold: give it those records, so that values stay on
   * the k closest nodes as the network changes. One FIND_NODE fetches the write token, then one STORE per record.
   */
  private void handOff(Contact contact) {
    long nowEpoch = ctx.clock.epochMillis();
    List<SignedRecord> records = new ArrayList<>();
    for (NodeId key : ctx.store.keysByDistance()) {
      if (records.size() >= ctx.config.maxHandoffRecords()) {
        break;
      }
      if (isAmongClosest(contact.id(), key)) {
        for (SignedRecord r : ctx.store.get(key, nowEpoch)) {
          if (records.size() < ctx.config.maxHandoffRecords()) {
            records.add(r);
          }
        }
      }
    }
    if (records.isEmpty()) {
      return;
    }
    ctx.rpc.send(contact.address(), tx -> new FindNode(tx, ctx.senderKey(), Optional.empty(), contact.id()))
        .whenComplete((reply, error) -> {
          if (reply == null || !(reply.response() instanceof Nodes nodes) || nodes.token().size() == 0) {
            return;
          }
          for (SignedRecord r : records) {
            ctx.metrics.inc(Counter.HANDOFF_RECORDS);
            ctx.rpc.send(contact.address(), tx -> new Store(tx, ctx.senderKey(), nodes.token(), r))
                .whenComplete((ack, e) -> {
                  if (e != null) {
                    LOG.log(Level.DEBUG, "handoff to {0} failed: {1}", contact.address(), e.getMessage());
                  }
                });
          }
        });
  }

  // True when, as far as our table knows, 'id' is one of the k closest nodes to 'key' (ourselves counted).
  private boolean isAmongClosest(NodeId id, NodeId key) {
    int k = ctx.config.k();
    int closer = key.compareDistance(ctx.identity.nodeId(), id) < 0 ? 1 : 0;
    for (Contact c : ctx.table.closest(key, k)) {
      if (c.id().equals(id)) {
        continue;
      }
      if (key.compareDistance(c.id(), id) < 0) {
        closer++;
      }
    }
    return closer < k;
  }
}
