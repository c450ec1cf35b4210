package org.dialtone.node.lan;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dialtone.agent.LanHosts;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.time.Clock;
import org.dialtone.node.lan.LanInterfaces.LanLink;
import org.dialtone.node.lan.MdnsSocket.Received;
import org.dialtone.resolver.number.DialNumber;

/**
 * {@link LanHosts} over multicast DNS: {@link LanHostDiscovery} on a thread of its own, fed by an {@link MdnsSocket}
 * on the private multicast links of this machine. A lookup returns {@link #SETTLE} after the first answer, or after
 * {@link #WAIT} when none comes.
 */
public final class LanHostService implements LanHosts, AutoCloseable {
  /** How long a lookup waits for a first answer (its three queries, a second apart, fit in it). */
  public static final Duration WAIT = Duration.ofMillis(2500);
  /** How long a lookup goes on after its first answer, for the other hosts' answers. */
  public static final Duration SETTLE = Duration.ofMillis(300);
  private static final long TICK_MILLIS = 50;
  private static final int INBOX = 256;

  private static final class Pending {
    final long id;
    final CompletableFuture<List<LanHost>> result;
    final long startedAt;
    long firstHeardAt = -1;

    Pending(long id, CompletableFuture<List<LanHost>> result, long startedAt) {
      this.id = id;
      this.result = result;
      this.startedAt = startedAt;
    }
  }

  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dialtone-lan-hosts");
    t.setDaemon(true);
    return t;
  });
  private final BlockingQueue<Received> inbox = new ArrayBlockingQueue<>(INBOX);
  private final LanHostDiscovery discovery;
  private final Clock clock = Clock.system();
  private final List<Pending> pending = new ArrayList<>();
  private final List<LanLink> links;
  private MdnsSocket socket;

  private LanHostService(List<LanLink> links) {
    this.links = links;
    this.discovery = new LanHostDiscovery(clock, links.stream().map(LanLink::asLink).toList(),
        new LanHostCounters());
  }

  /** Starts on the private multicast links of {@code bindHost} ({@link LanInterfaces#forBindAddress}); empty if none. */
  public static Optional<LanHostService> start(String bindHost) throws IOException {
    List<LanLink> links = LanInterfaces.forBindAddress(bindHost);
    if (links.isEmpty()) {
      return Optional.empty();
    }
    LanHostService s = new LanHostService(links);
    s.socket = MdnsSocket.open(links, s::offer);
    s.thread.scheduleWithFixedDelay(s::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    return Optional.of(s);
  }

  @Override
  public CompletableFuture<List<LanHost>> find(DialNumber number) {
    CompletableFuture<List<LanHost>> result = new CompletableFuture<>();
    thread.execute(() -> {
      Optional<Long> id = discovery.ask(number);
      if (id.isEmpty()) {
        result.complete(List.of()); // too many lookups at once: the DHT still answers
        return;
      }
      pending.add(new Pending(id.get(), result, clock.monotonicMillis()));
    });
    return result;
  }

  @Override
  public AutoCloseable advertise(DialNumber number, PublicKey key, int port) {
    thread.execute(() -> discovery.advertise(number, key, port));
    return () -> thread.execute(() -> discovery.withdraw(number));
  }

  private void offer(Received r) {
    if (!inbox.offer(r)) {
      discovery.counters().inc(LanHostCounters.Counter.DROPPED_RATE_LIMITED);
    }
  }

  private void tick() {
    try {
      Received r;
      while ((r = inbox.poll()) != null) {
        discovery.onPacket(r.iface(), r.source(), r.data());
      }
      for (LanDiscovery.Outgoing o : discovery.poll()) {
        try {
          socket.send(o.iface(), o.data());
        } catch (IOException e) {
          // a link that went down: the lookup's second query, or the next query's answer, tries again
        }
      }
      long now = clock.monotonicMillis();
      pending.removeIf(p -> {
        List<LanHostDiscovery.Heard> heard = discovery.heard(p.id);
        if (!heard.isEmpty() && p.firstHeardAt < 0) {
          p.firstHeardAt = now;
        }
        boolean done = now - p.startedAt >= WAIT.toMillis()
            || p.firstHeardAt >= 0 && now - p.firstHeardAt >= SETTLE.toMillis();
        if (done) {
          discovery.finish(p.id);
          p.result.complete(heard.stream().map(h -> new LanHost(h.key(),
              "ws://" + (h.address().isIpv4() ? h.address().host() : "[" + h.address().host() + "]") + ":"
                  + h.address().port())).toList());
        }
        return done;
      });
    } catch (RuntimeException e) {
      discovery.counters().inc(LanHostCounters.Counter.DROPPED_MALFORMED); // a bug must not stop the thread
    }
  }

  /** The live counters. */
  public LanHostCounters counters() {
    return discovery.counters();
  }

  /** The names of the links it speaks on. */
  public List<String> linkNames() {
    return links.stream().map(l -> l.nif().getName()).toList();
  }

  /** Ends every lookup (with what it heard), stops answering, closes the socket and the thread. */
  @Override
  public void close() {
    try {
      thread.submit(() -> pending.forEach(p -> p.result.complete(List.of()))).get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    thread.shutdownNow();
    if (socket != null) {
      socket.close();
    }
  }
}
