package org.dialtone.dht.node;

import java.util.Optional;
import java.util.Random;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.NodeMetrics;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.net.PeerAddress.Subnet;
import org.dialtone.dht.record.RecordStore;
import org.dialtone.dht.routing.RoutingTable;
import org.dialtone.dht.rpc.AmplificationGuard;
import org.dialtone.dht.rpc.AnsweredPeers;
import org.dialtone.dht.rpc.Rpc;
import org.dialtone.dht.rpc.TokenManager;
import org.dialtone.dht.time.Clock;
import org.dialtone.dht.time.Scheduler;
import org.dialtone.dht.transport.Transport;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;
import org.dialtone.dht.wire.RequestPadding;

/** The parts of one node that its internal classes share. Everything here is used on the node's thread only. */
public final class NodeContext {
  public final DhtConfig config;
  public final Identity identity;
  public final Transport transport;
  public final Scheduler scheduler;
  public final Clock clock;
  public final Random random;
  public final RoutingTable table;
  public final RecordStore store;
  public final Subscriptions subscriptions;
  public final TokenManager tokens;
  public final Rpc rpc;
  public final NodeMetrics metrics;
  public final AmplificationGuard guard;
  /** The addresses this node answered lately: they hold it proven, so its requests to them need no padding. */
  public final AnsweredPeers answered = AnsweredPeers.defaults();
  private volatile boolean closed;

  public NodeContext(DhtConfig config, Identity identity, Transport transport, Scheduler scheduler, Random random,
      NodeMetrics metrics) {
    this.config = config;
    this.identity = identity;
    this.scheduler = scheduler;
    this.clock = scheduler.clock();
    this.guard = AmplificationGuard.defaults();
    this.transport = transport;
    this.random = random;
    this.metrics = metrics;
    this.table = new RoutingTable(identity.nodeId(), config.routing(), clock.monotonicMillis());
    this.store = new RecordStore(identity.nodeId(), config.store());
    this.subscriptions = new Subscriptions();
    this.tokens = new TokenManager(random, clock.monotonicMillis());
    this.rpc = new Rpc(this.transport, scheduler, random, config.rpc());
    // Replies (reply()) and the PINGs that follow up on a request (Rpc.sendFollowUp), retransmissions included, pass
    // the amplification guard; the node's own requests do not: they are not answers anyone can aim.
    rpc.limitFollowUps(this::mayFollowUp);
    rpc.padRequests(this::requestBytes);
  }

  // A request that draws a large reply, to a node that has not seen a round trip from us, is padded so that the node
  // may answer it in full within three times its size, and still send its proving PING (QueryServer).
  private int requestBytes(PeerAddress to, Message.Request request) {
    if (answered.answeredRecently(to, clock.monotonicMillis())) {
      return 0;
    }
    if (request instanceof Message.FindNode || request instanceof Message.FindValue) {
      return FULL_REPLY_REQUEST_BYTES;
    }
    return request instanceof Message.Ping p && p.challenge().isPresent() ? SIGNED_PONG_REQUEST_BYTES : 0;
  }

  /** How long a FIND_NODE or FIND_VALUE to a node that has not seen a round trip from us is padded to. */
  public static final int FULL_REPLY_REQUEST_BYTES = RequestPadding.minRequestBytes(Message.MAX_DATAGRAM_BYTES,
      AmplificationGuard.FACTOR, QueryServer.PROVING_PING_RESERVE);
  /** How long a PING with a challenge to such a node is padded to: its signed PONG and a proving PING fit 3x. */
  public static final int SIGNED_PONG_REQUEST_BYTES = RequestPadding.minRequestBytes(
      MessageCodec.encodedSize(new Message.Pong(Long.MIN_VALUE, Identity.generate().publicKey(),
          Optional.of(Blob.of(new byte[64])), PeerAddress.of(new byte[16], 65535))),
      AmplificationGuard.FACTOR, QueryServer.PROVING_PING_RESERVE);

  /** True once the node is closing or closed: nothing new starts. */
  public boolean isClosed() {
    return closed;
  }

  /** Marks the node closed (node thread). */
  public void markClosed() {
    closed = true;
  }

  /** The key requests carry: ours, or none in client mode so that nobody files us in a routing table. */
  public Optional<PublicKey> senderKey() {
    return config.clientMode() ? Optional.empty() : Optional.of(identity.publicKey());
  }

  /**
   * The source prefix a peer's records and quotas are charged to: its IPv4 /24 or IPv6 /48. A local address
   * (loopback, private) counts alone, port included, unless the routing config applies subnet limits to all
   * addresses: a test network on one host must not share one quota, a test of the quotas turns them on.
   */
  public Subnet sourcePrefix(PeerAddress from) {
    if (config.routing().subnetLimitsForAllAddresses() || !from.isLocal()) {
      return from.sourcePrefix();
    }
    byte[] ip = from.ipBytes();
    byte[] key = java.util.Arrays.copyOf(ip, ip.length + 2);
    key[ip.length] = (byte) (from.port() >>> 8);
    key[ip.length + 1] = (byte) from.port();
    return new Subnet(key);
  }

  private boolean mayFollowUp(PeerAddress to, int bytes) {
    if (guard.trySend(to, bytes, clock.monotonicMillis())) {
      return true;
    }
    metrics.inc(NodeMetrics.Counter.DROPPED_UNPROVEN_ADDRESS);
    return false;
  }

  /** A fresh random challenge. */
  public byte[] newChallenge() {
    byte[] c = new byte[Message.CHALLENGE_BYTES];
    random.nextBytes(c);
    return c;
  }

  /** Sends a reply datagram. */
  public void reply(PeerAddress to, byte[] datagram) {
    if (mayFollowUp(to, datagram.length)) { // within 3x of what an unproven address sent
      transport.send(to, datagram);
      answered.onAnswered(to, clock.monotonicMillis()); // a round trip for it: it holds us proven now
    }
  }

  public static Optional<Blob> blob(byte[] bytes) {
    return bytes == null ? Optional.empty() : Optional.of(Blob.of(bytes));
  }
}
