package org.dialtone.node.lan;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Clock;
import org.dialtone.node.lan.LanCounters.Counter;
import org.dialtone.node.lan.LanDiscovery.Advertised;
import org.dialtone.node.lan.LanInterfaces.LanLink;
import org.dialtone.node.lan.MdnsSocket.Received;

/**
 * LAN discovery running: {@link LanDiscovery} on a thread of its own, fed by {@link MdnsSocket}, handing its
 * candidates to a {@link Verifier} (the DHT's challenge ping) and telling the table what came of it.
 */
public final class LanService implements AutoCloseable {
  private static final long TICK_MILLIS = 100;
  /** Datagrams waiting for the discovery thread; more are dropped (and counted) by the reader. */
  private static final int INBOX = 256;

  /** Proves candidates' keys: for each peer, whether its address answered with the key of its advertised id. */
  public interface Verifier {
    CompletableFuture<Map<LanPeer, Boolean>> verify(List<LanPeer> peers);
  }

  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dialtone-lan");
    t.setDaemon(true);
    return t;
  });
  private final BlockingQueue<Received> inbox = new ArrayBlockingQueue<>(INBOX);
  private final LanDiscovery discovery;
  private final LanCounters counters;
  private final List<LanLink> links;
  private final Verifier verifier;
  private MdnsSocket socket;
  private boolean verifying;
  private boolean sendFailureSaid;
  private volatile List<LanPeer> verifiedSnapshot = List.of();

  private LanService(List<LanLink> links, Optional<Advertised> self, Verifier verifier, LanLimits limits) {
    this.links = links;
    this.verifier = verifier;
    this.counters = new LanCounters();
    this.discovery = new LanDiscovery(Clock.system(), limits, links.stream().map(LanLink::asLink).toList(), self,
        counters);
  }

  /**
   * Starts discovery on the links of {@code bindHost} (see {@link LanInterfaces#forBindAddress}), advertising
   * {@code self}; empty when there is no such link.
   */
  public static Optional<LanService> start(String bindHost, Optional<Advertised> self, Verifier verifier,
      LanLimits limits) throws IOException {
    List<LanLink> links = LanInterfaces.forBindAddress(bindHost);
    if (links.isEmpty()) {
      return Optional.empty();
    }
    LanService s = new LanService(links, self, verifier, limits);
    s.socket = MdnsSocket.open(links, s::offer);
    s.thread.scheduleWithFixedDelay(s::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    return Optional.of(s);
  }

  /**
   * For an agent command: asks the LAN once and returns the addresses of the nodes that answer within
   * {@code wait} (it returns {@code settle} after the first answer), on this machine's private IPv4 links, or on its
   * unique local IPv6 links when it has no private IPv4 one. Unverified: the caller's bootstrap pings them with a
   * challenge. Empty without such a link.
   */
  public static List<PeerAddress> lookup(Duration wait, Duration settle) {
    CompletableFuture<Void> firstSeen = new CompletableFuture<>();
    Optional<LanService> s;
    try {
      Verifier seen = peers -> {
        firstSeen.complete(null);
        return new CompletableFuture<>(); // never answered: the agent verifies by bootstrapping
      };
      s = start("0.0.0.0", Optional.empty(), seen, LanLimits.defaults());
      if (s.isEmpty()) { // no private IPv4 link: an IPv6-only LAN asks on ff02::fb
        s = start("::", Optional.empty(), seen, LanLimits.defaults());
      }
    } catch (IOException e) {
      return List.of();
    }
    if (s.isEmpty()) {
      return List.of();
    }
    try (LanService service = s.get()) {
      try {
        firstSeen.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        Thread.sleep(settle.toMillis()); // a bounded pause for the other answers to the same query
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        // nobody answered in time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return service.call(() -> service.discovery.peers().stream().map(LanPeer::address).toList());
    }
  }

  private void offer(Received r) {
    if (!inbox.offer(r)) {
      counters.inc(Counter.DROPPED_RATE_LIMITED);
    }
  }

  private void tick() {
    try {
      Received r;
      while ((r = inbox.poll()) != null) {
        discovery.onPacket(r.iface(), r.source(), r.data());
      }
      send(discovery.poll());
      if (!verifying) {
        List<LanPeer> candidates = discovery.takeCandidates();
        if (!candidates.isEmpty()) {
          verifying = true;
          verifier.verify(candidates).whenComplete((results, e) -> thread.execute(() -> {
            verifying = false;
            for (LanPeer p : candidates) {
              if (results != null && results.getOrDefault(p, false)) {
                discovery.verified(p);
              } else {
                discovery.unverified(p);
              }
            }
            verifiedSnapshot = discovery.verifiedPeers();
          }));
        }
      }
    } catch (RuntimeException e) {
      // a bug must not stop discovery; the next tick goes on
      counters.inc(Counter.DROPPED_MALFORMED);
    }
  }

  private void send(List<LanDiscovery.Outgoing> out) {
    for (LanDiscovery.Outgoing o : out) {
      try {
        socket.send(o.iface(), o.data());
      } catch (IOException e) {
        // a link that went down: the next query or announcement tries again; said once, not every time
        if (!sendFailureSaid) {
          sendFailureSaid = true;
          System.getLogger(LanService.class.getName()).log(System.Logger.Level.WARNING,
              "mDNS send on " + o.iface() + " failed: " + e);
        }
      }
    }
  }

  private <T> T call(java.util.concurrent.Callable<T> c) {
    try {
      return thread.submit(c).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("LAN discovery did not answer", e);
    }
  }

  /** The live counters. */
  public LanCounters counters() {
    return counters;
  }

  /** The names of the links discovery speaks on. */
  public List<String> linkNames() {
    return links.stream().map(l -> l.nif().getName()).toList();
  }

  /** The LAN peers that proved their key (as of the last verification). */
  public List<LanPeer> verifiedPeers() {
    return verifiedSnapshot;
  }

  /** Says goodbye on every link, then closes the socket and the thread. */
  @Override
  public void close() {
    try {
      thread.submit(() -> send(discovery.goodbye())).get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    thread.shutdownNow();
    if (socket != null) {
      socket.close();
    }
  }
}
