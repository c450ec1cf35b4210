package org.dialtone.dht.node;

import java.util.Optional;
import java.util.Random;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.NodeMetrics;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.RecordStore;
import org.dialtone.dht.routing.RoutingTable;
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
  private volatile boolean closed;

  public NodeContext(DhtConfig config, Identity identity, Transport transport, Scheduler scheduler, Random random,
      NodeMetrics metrics) {
    this.config = config;
    this.identity = identity;
    this.transport = transport;
    this.scheduler = scheduler;
    this.clock = scheduler.clock();
    this.random = random;
    this.metrics = metrics;
    this.table = new RoutingTable(identity.nodeId(), config.routing(), clock.monotonicMillis());
    this.store = new RecordStore(identity.nodeId(), config.store());
    this.subscriptions = new Subscriptions();
    this.tokens = new TokenManager(random, clock.monotonicMillis());
    this.rpc = new Rpc(transport, scheduler, random, config.rpc());
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

  /** A fresh random challenge. */
  public byte[] newChallenge() {
    byte[] c = new byte[Message.CHALLENGE_BYTES];
    random.nextBytes(c);
    return c;
  }

  /** Sends a reply datagram. */
  public void reply(PeerAddress to, byte[] datagram) {
    transport.send(to, datagram);
  }

  public static Optional<Blob> blob(byte[] bytes) {
    return bytes == null ? Optional.empty() : Optional.of(Blob.of(bytes));
  }
}
