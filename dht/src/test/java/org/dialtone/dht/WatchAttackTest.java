package org.dialtone.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.GetResult;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.api.NodeStats;
import org.dialtone.dht.api.PutResult;
import org.dialtone.dht.api.Watch;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.node.Subscriptions;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.record.StoreLimits;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.DecodeException;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;
import org.junit.jupiter.api.Test;

/**
 * Attacks 6 and 7 of {@code docs/threats.md} mounted on real UDP sockets on loopback: raw sockets bound to addresses
 * in several 127.x.y.z /24 prefixes play the attackers against real nodes.
 */
class WatchAttackTest {
  // Rate limits out of the way: these tests are about the subscription table and the NOTIFY budget.
  private static final DhtConfig CONFIG = DhtConfig.builder().rateLimit(100_000, 100_000).build();

  /** Attack 6: one IP with 64 ports, then 16 hosts of its /24, squat a key's subscriber slots. */
  @Test
  void squattersFromOnePrefixLeaveSlotsForAnHonestWatcherFromAnother() throws Exception {
    try (LocalTestnet net = LocalTestnet.start(3, CONFIG)) {
      DhtNode target = net.node(1);
      NodeId key = target.id(); // the closest node to the key there is: every watch of it subscribes there
      List<Raw> squatters = new ArrayList<>();
      int acceptedFromOneIp = 0;
      int acceptedFromPrefix = 0;
      try {
        for (int port = 0; port < 64; port++) {
          Raw r = new Raw("127.0.0.1");
          squatters.add(r);
          if (r.subscribe(target.address(), key) instanceof Message.Subscribed) {
            acceptedFromOneIp++;
          }
        }
        acceptedFromPrefix = acceptedFromOneIp;
        for (int host = 2; host < 18; host++) {
          Raw r = new Raw("127.0.0." + host);
          squatters.add(r);
          if (r.subscribe(target.address(), key) instanceof Message.Subscribed) {
            acceptedFromPrefix++;
          }
        }
        // An honest watcher from another /24, on the target itself and as a real client node doing a real watch.
        Message.Response honestOnTarget;
        try (Raw honestRaw = new Raw("127.0.7.2")) {
          honestOnTarget = honestRaw.subscribe(target.address(), key);
        }
        DhtNode honest = DhtNodes.startUdp(net.vertx(), CONFIG.toBuilder().clientMode(true).build(),
            Identity.generate(), "127.0.7.1", 0).get(10, TimeUnit.SECONDS);
        try {
          honest.bootstrap(net.seeds()).get(30, TimeUnit.SECONDS);
          Watch w = honest.watch(key, r -> { });
          w.subscribed().get(30, TimeUnit.SECONDS);
          System.out.printf("attack 6: one IP on 64 ports got %d of the key's %d slots; its /24 (64 ports + 16 "
                  + "hosts) got %d; an honest SUBSCRIBE from another /24 got %s; an honest watch subscribed on %d nodes%n",
              acceptedFromOneIp, Subscriptions.DEFAULT_MAX_PER_KEY, acceptedFromPrefix,
              honestOnTarget.getClass().getSimpleName(), w.subscribedNodes());
          assertInstanceOf(Message.Subscribed.class, honestOnTarget);
          assertEquals(Subscriptions.DEFAULT_MAX_PER_IP_PER_KEY, acceptedFromOneIp);
          assertEquals(Subscriptions.DEFAULT_MAX_PER_PREFIX_PER_KEY, acceptedFromPrefix);
          assertTrue(w.subscribedNodes() >= 2, "the honest watch holds the target and the others too");
        } finally {
          honest.close();
        }
      } finally {
        squatters.forEach(Raw::close);
      }
    }
  }

  /**
   * Attack 7: 64 subscribers from 64 prefixes that never acknowledge, then 80 STOREs under the key. Without a NOTIFY
   * budget that is 5,120 NOTIFYs, each retransmitted, in the node's 4,096 pending-request slots, and its own lookups
   * fail OVERLOADED. The STOREs come from five hosts in five /24s, 16 each: one network may hold only 16 records of a
   * key (attack 1's quota, {@code StoreLimits}), so this is what 80 accepted STOREs take.
   */
  @Test
  void silentSubscribersAndAStoreBurstNeverStarveTheNodesOwnLookups() throws Exception {
    try (LocalTestnet net = LocalTestnet.start(4, CONFIG)) {
      DhtNode target = net.node(1);
      NodeId key = target.id();
      List<Raw> silent = new ArrayList<>();
      List<Raw> storers = new ArrayList<>();
      try {
        for (int i = 0; i < 64; i++) {
          Raw r = new Raw("127.0." + (10 + i) + ".1");
          silent.add(r);
          assertInstanceOf(Message.Subscribed.class, r.subscribe(target.address(), key));
        }
        long expires = System.currentTimeMillis() / 1000 + 600;
        int perNetwork = StoreLimits.DEFAULT_MAX_RECORDS_PER_KEY_PER_PREFIX;
        for (int network = 0; network * perNetwork < 80; network++) {
          Raw storer = new Raw("127.1." + network + ".1");
          storers.add(storer);
          Blob token = storer.token(target.address(), key);
          for (int i = 0; i < perNetwork && network * perNetwork + i < 80; i++) {
            SignedRecord rec = SignedRecord.sign(Identity.generate(), key, 1, 1, expires, new byte[16]);
            assertInstanceOf(Message.StoreAck.class,
                storer.request(target.address(), new Message.Store(storer.tx(), Optional.empty(), token, rec)));
          }
        }
        NodeStats during = target.stats().get(10, TimeUnit.SECONDS);
        // The node's own operations while the NOTIFYs are outstanding.
        PutResult put = target.put(SignedRecord.sign(Identity.generate(), NodeId.random(new java.util.Random(1)), 1,
            1, expires, new byte[8])).get(30, TimeUnit.SECONDS);
        GetResult got = target.get(NodeId.random(new java.util.Random(2))).get(30, TimeUnit.SECONDS);
        long sent = during.get(Counter.NOTIFICATIONS_SENT);
        long dropped = during.get(Counter.NOTIFICATIONS_DROPPED);
        System.out.printf("attack 7: 64 silent subscribers + 80 STOREs: %d NOTIFYs sent, %d waiting or dropped "
                + "(%d dropped), %d requests pending of %d; the node's own put reached %d replicas and its get "
                + "queried %d nodes%n", sent, 64 * 80 - sent, dropped, during.pendingRequests(),
            CONFIG.rpc().maxPending(), put.replicas(), got.lookup().queried());
        // In flight: at most one NOTIFY per subscriber, and at most one proving PING per silent address that sent us
        // a request (anti-amplification's round trip, Contacts.onInboundRequest): far from the 4,096 slots.
        int silentAddresses = silent.size() + storers.size();
        assertTrue(during.pendingRequests() <= 64 + silentAddresses,
            "at most one NOTIFY per subscriber and one proving PING per address: " + during.pendingRequests());
        assertTrue(sent <= 64, "one NOTIFY per silent subscriber in flight, the rest wait or drop: " + sent);
        assertTrue(put.replicas() >= 1);
      } finally {
        silent.forEach(Raw::close);
        storers.forEach(Raw::close);
      }
    }
  }

  /** A raw UDP socket speaking the wire format by hand. */
  private static final class Raw implements AutoCloseable {
    final DatagramSocket socket;
    long nextTx = 1;

    Raw(String ip) throws IOException {
      socket = new DatagramSocket(new InetSocketAddress(ip, 0));
      socket.setSoTimeout(5_000);
    }

    long tx() {
      return nextTx++;
    }

    Message.Response request(PeerAddress to, Message.Request m) throws IOException {
      byte[] out = MessageCodec.encode(m);
      socket.send(new DatagramPacket(out, out.length, to.toSocketAddress()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      byte[] buf = new byte[2048];
      while (System.nanoTime() < deadline) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
        } catch (SocketTimeoutException e) {
          break;
        }
        try {
          Message in = MessageCodec.decode(java.util.Arrays.copyOf(p.getData(), p.getLength()));
          if (in instanceof Message.Response r && r.txId() == m.txId()) {
            return r;
          }
        } catch (DecodeException e) {
          throw new AssertionError("a node sent an undecodable datagram", e);
        }
      }
      throw new AssertionError("no reply to " + m + " within 10 s");
    }

    Blob token(PeerAddress to, NodeId key) throws IOException {
      Message.Response r = request(to, new Message.FindNode(tx(), Optional.empty(), Optional.empty(), key));
      return assertInstanceOf(Message.Nodes.class, r).token();
    }

    Message.Response subscribe(PeerAddress to, NodeId key) throws IOException {
      Blob token = token(to, key);
      return request(to, new Message.Subscribe(tx(), Optional.empty(), key, token, 600));
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
