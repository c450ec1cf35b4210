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
import org.dialtone.dht.rpc.Rpc;
import org.dialtone.dht.rpc.TokenManager;
import org.dialtone.dht.time.Clock;
import org.dialtone.dht.time.Scheduler;
import org.dialtone.dht.transport.Transport;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message;

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
  }

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
    }
  }

  public static Optional<Blob> blob(byte[] bytes) {
    return bytes == null ? Optional.empty() : Optional.of(Blob.of(bytes));
  }
}
