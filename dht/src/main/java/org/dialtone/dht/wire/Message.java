package org.dialtone.dht.wire;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;

/**
 * Every message of the wire protocol (version {@value #VERSION}); {@code docs/protocol.md} gives the encoding.
 * Requests carry a random 64-bit transaction id that the reply echoes; a reply is matched on (transaction id,
 * address the request went to).
 */
public sealed interface Message {
  /** The protocol version this code speaks. */
  int VERSION = 1;
  /** The largest datagram sent or accepted, in bytes: fits an IPv6 minimum MTU with room for headers. */
  int MAX_DATAGRAM_BYTES = 1232;
  /** The size of a challenge. */
  int CHALLENGE_BYTES = 16;
  /** The longest error message sent, in characters. */
  int MAX_ERROR_MESSAGE_CHARS = 200;
  /** The largest signal envelope a {@link Signal} carries, in bytes (the DTS1 envelope's own bound). */
  int MAX_SIGNAL_BYTES = 1100;
  /**
   * The smallest envelope a {@link Signal} carries: at least a signature's 64 bytes, so that every SIGNAL that decodes
   * can be answered (an ack or a refusal) within three times its size.
   */
  int MIN_SIGNAL_BYTES = 64;

  /** The transaction id. */
  long txId();

  /** The message's type: its wire number and fields (see {@link MessageType}). */
  MessageType type();

  /** A message that asks for a reply. */
  sealed interface Request extends Message permits Ping, FindNode, FindValue, Store, Subscribe, Notify,
      Signal {
    /**
     * The sender's public key, or empty when the sender is a client (it answers no queries and must never be put in
     * a routing table).
     */
    Optional<PublicKey> sender();

    /** Random bytes the responder must sign to prove its key, or empty when the sender needs no proof. */
    Optional<Blob> challenge();

    /** Calls the visitor's method for this request's type: an exhaustive dispatch without casts. */
    <R> R accept(Visitor<R> visitor);

    /**
     * One method per request type. Adding a request type adds a method here, so the compiler lists every place that
     * must handle it (the codec, the query server).
     */
    interface Visitor<R> {
      R ping(Ping m);

      R findNode(FindNode m);

      R findValue(FindValue m);

      R store(Store m);

      R subscribe(Subscribe m);

      R notify(Notify m);

      R signal(Signal m);
    }
  }

  /** A reply to a request. */
  sealed interface Response extends Message permits Pong, Nodes, Values, StoreAck, ErrorReply, Subscribed, NotifyAck,
      SignalAck {
    /** The responder's public key; its SHA-256 is the responder's node id. */
    PublicKey responder();

    /** The responder's signature of the request's challenge (see {@code ChallengeProof}), if one was asked for. */
    Optional<Blob> challengeSignature();

    /** Calls the visitor's method for this response's type: an exhaustive dispatch without casts. */
    <R> R accept(Visitor<R> visitor);

    /** One method per response type (see {@link Request.Visitor}). */
    interface Visitor<R> {
      R pong(Pong m);

      R nodes(Nodes m);

      R values(Values m);

      R storeAck(StoreAck m);

      R subscribed(Subscribed m);

      R notifyAck(NotifyAck m);

      R signalAck(SignalAck m);

      R error(ErrorReply m);
    }
  }

  /** Are you there? Answered with {@link Pong}. */
  record Ping(long txId, Optional<PublicKey> sender, Optional<Blob> challenge) implements Request {
    @Override
    public MessageType type() {
      return MessageType.PING;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.ping(this);
    }

    public Ping {
      Objects.requireNonNull(sender);
      Objects.requireNonNull(challenge);
    }
  }

  /** I am here; {@code observed} is the address the ping came from, as the responder saw it. */
  record Pong(long txId, PublicKey responder, Optional<Blob> challengeSignature, PeerAddress observed)
      implements Response {
    @Override
    public MessageType type() {
      return MessageType.PONG;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.pong(this);
    }

    public Pong {
      Objects.requireNonNull(responder);
      Objects.requireNonNull(challengeSignature);
      Objects.requireNonNull(observed);
    }
  }

  /**
   * Which nodes do you know closest to {@code target}? Answered with {@link Nodes}: the page of that list that starts
   * at contact {@code offset} (0, the first page, unless the requester is fetching the rest of a paged answer).
   */
  record FindNode(long txId, Optional<PublicKey> sender, Optional<Blob> challenge, NodeId target, int offset)
      implements Request {
    /** A request for the first page. */
    public FindNode(long txId, Optional<PublicKey> sender, Optional<Blob> challenge, NodeId target) {
      this(txId, sender, challenge, target, 0);
    }

    @Override
    public MessageType type() {
      return MessageType.FIND_NODE;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.findNode(this);
    }

    public FindNode {
      Objects.requireNonNull(sender);
      Objects.requireNonNull(challenge);
      Objects.requireNonNull(target);
      if (offset < 0) {
        throw new IllegalArgumentException("offset must not be negative");
      }
    }
  }

  /**
   * The closest nodes the responder knows, nearest first, and a write token the requester may use in a
   * {@link Store} to this responder. When that list does not fit one datagram it is paged: {@code nodes} are its
   * entries from {@code offset} on, of {@code total}; the requester asks again from {@code offset + nodes.size()}
   * for the rest ({@link #hasMore}). {@code total} is never less than {@code offset + nodes.size()}.
   */
  record Nodes(long txId, PublicKey responder, Optional<Blob> challengeSignature, List<NodeInfo> nodes, Blob token,
      int offset, int total)
      implements Response {
    /** A whole answer in one datagram (no paging). */
    public Nodes(long txId, PublicKey responder, Optional<Blob> challengeSignature, List<NodeInfo> nodes, Blob token) {
      this(txId, responder, challengeSignature, nodes, token, 0, nodes.size());
    }

    /** True when the list goes on past this page. */
    public boolean hasMore() {
      return offset + nodes.size() < total;
    }

    /** True when this answer is one page of several, so the paging fields go on the wire. */
    public boolean isPaged() {
      return offset > 0 || hasMore();
    }

    @Override
    public MessageType type() {
      return MessageType.NODES;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.nodes(this);
    }

    public Nodes {
      Objects.requireNonNull(responder);
      Objects.requireNonNull(challengeSignature);
      nodes = List.copyOf(nodes);
      Objects.requireNonNull(token);
      if (offset < 0 || total < 0) {
        throw new IllegalArgumentException("offset and total must not be negative");
      }
      total = (int) Math.min(Integer.MAX_VALUE, Math.max(total, (long) offset + nodes.size()));
    }
  }

  /**
   * Which records do you hold under {@code key}, starting at record {@code offset}? With {@code wantNodes}, also
   * the closest nodes and a write token. Answered with {@link Values}.
   */
  record FindValue(
      long txId, Optional<PublicKey> sender, Optional<Blob> challenge, NodeId key, int offset, boolean wantNodes)
      implements Request {
    @Override
    public MessageType type() {
      return MessageType.FIND_VALUE;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.findValue(this);
    }

    public FindValue {
      Objects.requireNonNull(sender);
      Objects.requireNonNull(challenge);
      Objects.requireNonNull(key);
      if (offset < 0) {
        throw new IllegalArgumentException("offset must not be negative");
      }
    }
  }

  /**
   * One page of the records the responder holds under the key: {@code records} start at {@code offset} of
   * {@code total}; ask again from {@code offset + records.size()} for the rest. {@code nodes} and {@code token} are
   * filled when the request asked for nodes.
   */
  record Values(
      long txId,
      PublicKey responder,
      Optional<Blob> challengeSignature,
      List<NodeInfo> nodes,
      Blob token,
      List<SignedRecord> records,
      int offset,
      int total)
      implements Response {
    @Override
    public MessageType type() {
      return MessageType.VALUES;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.values(this);
    }

    public Values {
      Objects.requireNonNull(responder);
      Objects.requireNonNull(challengeSignature);
      nodes = List.copyOf(nodes);
      Objects.requireNonNull(token);
      records = List.copyOf(records);
      if (offset < 0 || total < 0) {
        throw new IllegalArgumentException("offset and total must not be negative");
      }
    }
  }

  /** Store this record; {@code token} is the write token this node handed the sender's address. */
  record Store(long txId, Optional<PublicKey> sender, Blob token, SignedRecord record) implements Request {
    @Override
    public MessageType type() {
      return MessageType.STORE;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.store(this);
    }

    public Store {
      Objects.requireNonNull(sender);
      Objects.requireNonNull(token);
      Objects.requireNonNull(record);
    }

    /** A STORE never carries a challenge: with a full-size record there is no room for the proof. */
    @Override
    public Optional<Blob> challenge() {
      return Optional.empty();
    }
  }

  /** The record is stored (or the identical record was already there). */
  record StoreAck(long txId, PublicKey responder, Optional<Blob> challengeSignature) implements Response {
    @Override
    public MessageType type() {
      return MessageType.STORE_ACK;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.storeAck(this);
    }

    public StoreAck {
      Objects.requireNonNull(responder);
      Objects.requireNonNull(challengeSignature);
    }
  }

  /**
   * Tell me, for {@code ttlSeconds}, about every new or replacing record you store under {@code key}; {@code token}
   * is the write token this node handed the sender's address (as for {@link Store}). A {@code ttlSeconds} of 0 ends
   * the subscription. Answered with {@link Subscribed}. Carries no challenge.
   */
  record Subscribe(long txId, Optional<PublicKey> sender, NodeId key, Blob token, int ttlSeconds) implements Request {
    @Override
    public MessageType type() {
      return MessageType.SUBSCRIBE;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.subscribe(this);
    }

    public Subscribe {
      Objects.requireNonNull(sender);
      Objects.requireNonNull(key);
      Objects.requireNonNull(token);
      if (ttlSeconds < 0) {
        throw new IllegalArgumentException("ttlSeconds must not be negative");
      }
    }

    @Override
    public Optional<Blob> challenge() {
      return Optional.empty();
    }
  }

  /** The subscription holds for {@code ttlSeconds} (0: it was ended); subscribe again before then to keep it. */
  record Subscribed(long txId, PublicKey responder, int ttlSeconds) implements Response {
    @Override
    public MessageType type() {
      return MessageType.SUBSCRIBED;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.subscribed(this);
    }

    public Subscribed {
      Objects.requireNonNull(responder);
      if (ttlSeconds < 0) {
        throw new IllegalArgumentException("ttlSeconds must not be negative");
      }
    }

    @Override
    public Optional<Blob> challengeSignature() {
      return Optional.empty();
    }
  }

  /**
   * A node the recipient subscribed to stored {@code record}, a new or replacing one under a watched key;
   * {@code notifier} is that node's key. Answered with {@link NotifyAck}. Carries no challenge: with a full-size
   * record there is no room for the proof.
   */
  record Notify(long txId, PublicKey notifier, SignedRecord record) implements Request {
    @Override
    public MessageType type() {
      return MessageType.NOTIFY;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.notify(this);
    }

    public Notify {
      Objects.requireNonNull(notifier);
      Objects.requireNonNull(record);
    }

    /** The notifier's key: always present, since only full nodes store records and notify. */
    @Override
    public Optional<PublicKey> sender() {
      return Optional.of(notifier);
    }

    @Override
    public Optional<Blob> challenge() {
      return Optional.empty();
    }
  }

  /** The notification was received (the record verified; it may have been seen before). */
  record NotifyAck(long txId, PublicKey responder) implements Response {
    @Override
    public MessageType type() {
      return MessageType.NOTIFY_ACK;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.notifyAck(this);
    }

    public NotifyAck {
      Objects.requireNonNull(responder);
    }

    @Override
    public Optional<Blob> challengeSignature() {
      return Optional.empty();
    }
  }

  /**
   * Pass {@code envelope}, a signal its sender signed (the DTS1 envelope of {@code docs/connections.md}), byte for
   * byte to the agent that holds a signal session with the recipient node. The node checks it as if the agent's
   * sender had posted it there, and answers {@link SignalAck} once it handed the envelope on, or an
   * {@link ErrorReply} ({@code NOT_ATTACHED}, {@code BAD_SIGNATURE}, {@code EXPIRED}, {@code RATE_LIMITED}, ...).
   * Carries no challenge: the envelope leaves no room for it, and the sender proves the recipient node's key before.
   */
  record Signal(long txId, Optional<PublicKey> sender, Blob envelope) implements Request {
    @Override
    public MessageType type() {
      return MessageType.SIGNAL;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.signal(this);
    }

    public Signal {
      Objects.requireNonNull(sender);
      Objects.requireNonNull(envelope);
      if (envelope.size() < MIN_SIGNAL_BYTES || envelope.size() > MAX_SIGNAL_BYTES) {
        throw new IllegalArgumentException("a signal envelope is " + MIN_SIGNAL_BYTES + ".." + MAX_SIGNAL_BYTES + " bytes, got "
            + envelope.size());
      }
    }

    @Override
    public Optional<Blob> challenge() {
      return Optional.empty();
    }
  }

  /** The signal was handed to the recipient's session on the responding node. */
  record SignalAck(long txId, PublicKey responder) implements Response {
    @Override
    public MessageType type() {
      return MessageType.SIGNAL_ACK;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.signalAck(this);
    }

    public SignalAck {
      Objects.requireNonNull(responder);
    }

    @Override
    public Optional<Blob> challengeSignature() {
      return Optional.empty();
    }
  }

  /** The request was refused: {@code code} says why, {@code message} says it for people. */
  record ErrorReply(
      long txId, PublicKey responder, Optional<Blob> challengeSignature, ErrorCode code, String message)
      implements Response {
    @Override
    public MessageType type() {
      return MessageType.ERROR;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.error(this);
    }

    public ErrorReply {
      Objects.requireNonNull(responder);
      Objects.requireNonNull(challengeSignature);
      Objects.requireNonNull(code);
      message = message.length() > MAX_ERROR_MESSAGE_CHARS ? message.substring(0, MAX_ERROR_MESSAGE_CHARS) : message;
    }
  }
}
