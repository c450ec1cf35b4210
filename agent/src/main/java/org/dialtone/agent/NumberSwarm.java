package org.dialtone.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.time.Scheduler;
import org.dialtone.resolver.NumberEvent;
import org.dialtone.resolver.NumberWatch;
import org.dialtone.resolver.Roster;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.Role;

/**
 * A room on a number, as Hyperswarm's {@code swarm.join(topic)}: the agent hosts the number (directly, or through a
 * relay when it is not reachable), watches who else does, and keeps one authenticated connection to each of them, up
 * to {@link JoinOptions#maxPeers()}. Every connection proves the peer's key and says its path
 * ({@link AgentConnection#path()}). Made by {@link Agent#join}; {@link #leave()} ends it.
 *
 * <p>Of two members only one calls ({@link RoomCalls}); the other waits {@link JoinOptions#answerWait()} for that
 * call and then calls itself, for a member that cannot call out; should both calls succeed, both sides keep the one
 * whose turn it was. A member that cannot be reached is tried again with a doubling pause up to
 * {@link JoinOptions#retryMax()}; one that leaves is let go; one no longer listed is no longer called, and its open
 * connection stays until it closes. A relayed connection the room dialled moves to a punched path where the NATs
 * allow ({@link RoomPunches}).
 *
 * <p>Members are learnt from a watch on the number (pushed JOINED, HOSTING and LEFT) and from reading its roster every
 * {@link JoinOptions#refreshInterval()}, which covers a missed event or a watch the nodes refused. All state lives on
 * the node's scheduler thread; listeners are called there.
 */
public final class NumberSwarm implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(NumberSwarm.class.getName());
  private static final long FIRST_RETRY_MILLIS = 1_000;

  private final Agent agent;
  private final DialNumber number;
  private final JoinOptions options;
  private final Scheduler scheduler;
  private final AgentServer server;
  private final Map<PublicKey, Member> members = new HashMap<>();
  private final Map<PublicKey, AgentConnection> peers = new LinkedHashMap<>();
  private final List<Cancellable> timers = new ArrayList<>();
  private volatile Consumer<AgentConnection> onPeer = c -> {};
  private volatile Consumer<PublicKey> onPeerGone = k -> {};
  private volatile Consumer<PunchResult> onPunch = r -> {};
  private volatile List<AgentConnection> snapshot = List.of(); // peers, for readers on any thread
  private NumberWatch watch;
  private Runnable stopListening = () -> {};
  private boolean closed;

  /** What the swarm knows of one other member. */
  private static final class Member {
    AgentInfo info;
    long waitingSince; // since when the side whose turn it is not has waited for the other's call
    int failures;
    long connectedAt;
    boolean dialling;
    Cancellable retry;
    RoomPunches punches; // made when the room first punches its connection to this member

    Member(AgentInfo info, long firstSeen) {
      this.info = info;
      this.waitingSince = firstSeen;
    }
  }

  private NumberSwarm(Agent agent, DialNumber number, JoinOptions options, Scheduler scheduler, AgentServer server) {
    this.agent = agent;
    this.number = number;
    this.options = options;
    this.scheduler = scheduler;
    this.server = server;
  }

  /** Starts the room once {@code server} hosts {@code number}: listens, watches, reads the roster. */
  static CompletableFuture<NumberSwarm> start(Agent agent, DialNumber number, JoinOptions options,
      Scheduler scheduler, AgentServer server) {
    NumberSwarm swarm = new NumberSwarm(agent, number, options, scheduler, server);
    CompletableFuture<NumberSwarm> started = new CompletableFuture<>();
    scheduler.execute(() -> {
      swarm.stopListening = agent.onAnswered(c -> scheduler.execute(() -> swarm.inbound(c)));
      swarm.watch = agent.resolver().watch(number, e -> scheduler.execute(() -> swarm.onEvent(e)));
      // A watch refused (the nodes' subscription limits are full) leaves the periodic roster reads to do its work.
      swarm.watch.ready()
          .handle((v, e) -> null)
          .thenCompose(v -> swarm.refresh())
          .whenComplete((v, e) -> {
            if (e != null) {
              swarm.leave().whenComplete((x, y) -> started.completeExceptionally(e));
            } else {
              scheduler.execute(swarm::scheduleRefresh);
              started.complete(swarm);
            }
          });
    });
    return started;
  }

  /** The number this room is on. */
  public DialNumber number() {
    return number;
  }

  /** How this agent is reached by the others: its own address (direct) or a relay's. */
  public AgentServer server() {
    return server;
  }

  /**
   * Calls {@code listener} with each new peer connection, dialled or answered, once it is authenticated; with the
   * ones open already when it is set, too.
   */
  public NumberSwarm onPeer(Consumer<AgentConnection> listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    scheduler.execute(() -> { // on the room's thread, so a peer adopted meanwhile is told once, not twice
      this.onPeer = listener;
      List.copyOf(peers.values()).forEach(listener);
    });
    return this;
  }

  /**
   * Calls {@code listener} with a member's key when the swarm no longer has a connection to it (it left, it dropped;
   * a duplicate call closed in favour of another is not a loss).
   */
  public NumberSwarm onPeerGone(Consumer<PublicKey> listener) {
    this.onPeerGone = java.util.Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Calls {@code listener} with how each punch of a relayed connection this room dialled ended ({@link
   * JoinOptions#punch()}): a punched connection also reaches {@link #onPeer} as it replaces the relayed one; a failed
   * punch leaves the relayed connection, and the result says why.
   */
  public NumberSwarm onPunch(Consumer<PunchResult> listener) {
    this.onPunch = java.util.Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** The peer connections open now, one per member. */
  public List<AgentConnection> peers() {
    return snapshot;
  }

  private void peersChanged() {
    snapshot = List.copyOf(peers.values());
  }

  /** Leaves the room: closes every peer connection, stops watching, and stops hosting (LEFT is published). */
  public CompletableFuture<Void> leave() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    scheduler.execute(() -> {
      if (closed) {
        done.complete(null);
        return;
      }
      closed = true;
      stopListening.run();
      if (watch != null) {
        watch.cancel();
      }
      timers.forEach(Cancellable::cancel);
      members.values().forEach(m -> {
        if (m.retry != null) {
          m.retry.cancel();
        }
      });
      List<CompletableFuture<?>> closing = new ArrayList<>();
      peers.values().forEach(c -> closing.add(c.close()));
      peers.clear();
      peersChanged();
      closing.add(server.closeAsync());
      CompletableFuture.allOf(closing.toArray(CompletableFuture<?>[]::new))
          .whenComplete((v, e) -> done.complete(null));
    });
    return done;
  }

  @Override
  public void close() {
    leave().join();
  }

  // ---- on the scheduler thread ----

  private CompletableFuture<Void> refresh() {
    return agent.resolver().discover(number)
        .thenAccept(roster -> scheduler.execute(() -> onRoster(roster)));
  }

  private void scheduleRefresh() {
    if (closed) {
      return;
    }
    timers.clear();
    timers.add(scheduler.schedule(options.refreshInterval().toMillis(), () -> refresh()
        .whenComplete((v, e) -> scheduler.execute(this::scheduleRefresh))));
  }

  private void onRoster(Roster roster) {
    if (closed) {
      return;
    }
    roster.hosts().forEach(this::consider);
    List<PublicKey> present = roster.hosts().stream().map(AgentInfo::agent).toList();
    for (PublicKey k : List.copyOf(members.keySet())) {
      // Not listed: its record expired, or it left while the watch missed it, or this read came back short. Stop
      // calling it, but an open connection stays until it closes: it is the better witness.
      if (!present.contains(k) && !peers.containsKey(k)) {
        forget(k);
      }
    }
  }

  private void onEvent(NumberEvent e) {
    if (closed) {
      return;
    }
    switch (e.type()) {
      case JOINED, HOSTING -> consider(e.agent());
      case LEFT -> forget(e.agent().agent());
      case SHARED -> { }
    }
  }

  private void consider(AgentInfo info) {
    PublicKey key = info.agent();
    if (key.equals(agent.key()) || info.role() != Role.HOST || info.endpoints().isEmpty()) {
      return; // ourselves, or someone on the number who takes no calls
    }
    Member m = members.get(key);
    if (m == null) {
      if (members.size() >= 4 * options.maxPeers()) {
        return; // a crowded number: enough candidates to fill the cap several times over
      }
      m = new Member(info, scheduler.clock().epochMillis());
      members.put(key, m);
    } else {
      m.info = info; // newer endpoints (it moved to another relay, say)
    }
    maybeDial(key);
  }

  private void forget(PublicKey key) {
    Member m = members.remove(key);
    if (m != null && m.retry != null) {
      m.retry.cancel();
    }
    AgentConnection c = peers.remove(key);
    if (c != null) {
      peersChanged();
      c.close();
      onPeerGone.accept(key);
    }
  }

  private boolean weCall(PublicKey other) {
    Member m = members.get(other);
    return RoomCalls.weCall(agent.key(), server.path() == ConnectionPath.DIRECT, other,
        m == null ? List.of() : m.info.endpoints());
  }

  private void maybeDial(PublicKey key) {
    Member m = members.get(key);
    if (closed || m == null || peers.containsKey(key) || m.dialling || m.retry != null) {
      return;
    }
    if (peers.size() >= options.maxPeers()) {
      return;
    }
    // A call it made before this room saw it (before the room started, or before its record reached us).
    for (AgentConnection open : agent.connections()) {
      if (open.peer().equals(key) && !open.closed().isDone()) {
        adopt(open);
        return;
      }
    }
    long waited = scheduler.clock().epochMillis() - m.waitingSince;
    if (!weCall(key) && waited < options.answerWait().toMillis()) {
      m.retry = scheduler.schedule(options.answerWait().toMillis() - waited, () -> {
        m.retry = null;
        maybeDial(key);
      });
      return;
    }
    m.dialling = true;
    dial(m.info.endpoints(), 0, key).whenComplete((c, e) -> scheduler.execute(() -> {
      m.dialling = false;
      if (e != null) {
        m.failures++;
        LOG.log(System.Logger.Level.INFO, "room {0}: calling {1} failed ({2}), attempt {3}", number,
            key.toHex().substring(0, 8), e.getCause() != null ? e.getCause().getMessage() : e.getMessage(),
            m.failures);
        retryLater(key, m);
        return;
      }
      adopt(c);
      if (options.punch() && c.path() == ConnectionPath.RELAYED && peers.get(key) == c) {
        punches(key, m).start(c);
      }
    }));
  }

  private RoomPunches punches(PublicKey key, Member m) {
    if (m.punches == null) {
      m.punches = new RoomPunches(agent, scheduler,
          relayed -> !closed && members.get(key) == m && peers.get(key) == relayed, this::adopt,
          relayed -> lost(key, relayed), r -> onPunch.accept(r));
    }
    return m.punches;
  }

  private void retryLater(PublicKey key, Member m) {
    if (members.get(key) != m || closed || m.retry != null) {
      return;
    }
    long pause = Math.min(options.retryMax().toMillis(), FIRST_RETRY_MILLIS << Math.min(m.failures - 1, 20));
    m.retry = scheduler.schedule(pause, () -> {
      m.retry = null;
      maybeDial(key);
    });
  }

  // Tries the member's endpoints in order (its own address first, then relays), requiring its key on each.
  private CompletableFuture<AgentConnection> dial(List<String> endpoints, int i, PublicKey key) {
    if (i >= endpoints.size()) {
      return CompletableFuture.failedFuture(new AgentException(AgentError.CLOSED, "no endpoint answered"));
    }
    return agent.connect(endpoints.get(i), key)
        .handle((c, e) -> e == null ? CompletableFuture.completedFuture(c) : dial(endpoints, i + 1, key))
        .thenCompose(f -> f);
  }

  // A connection this agent answered: a member calling, or someone else (left to the application).
  private void inbound(AgentConnection c) {
    if (closed) {
      return;
    }
    PublicKey key = c.peer();
    if (members.containsKey(key)) {
      adopt(c);
      return;
    }
    // Perhaps a member whose record we have not seen yet: read the roster once, then decide.
    refresh().whenComplete((v, e) -> scheduler.execute(() -> {
      if (members.containsKey(key)) {
        adopt(c);
      }
    }));
  }

  private void adopt(AgentConnection c) {
    PublicKey key = c.peer();
    if (closed || !members.containsKey(key)) {
      c.close();
      return;
    }
    AgentConnection current = peers.get(key);
    if (current == c) {
      return;
    }
    if (current != null && current.path() == ConnectionPath.RELAYED && c.path() == ConnectionPath.PUNCHED) {
      peers.put(key, c); // the punch of this pair's relayed connection (whoever dialled): the punched path wins
      peersChanged();
      current.close();
      watchClose(key, c);
      onPeer.accept(c);
      return;
    }
    if (current != null) {
      // Both called: keep the call of the one whose turn it was, on both sides alike.
      boolean keepNew = c.dialler() == weCall(key);
      if (!keepNew) {
        c.close();
        return;
      }
      peers.remove(key); // replaced below, so not gone
      current.close();
    } else if (peers.size() >= options.maxPeers()) {
      c.close();
      return;
    }
    peers.put(key, c);
    peersChanged();
    members.get(key).connectedAt = scheduler.clock().epochMillis();
    watchClose(key, c);
    onPeer.accept(c);
  }

  private void watchClose(PublicKey key, AgentConnection c) {
    c.closed().thenRun(() -> scheduler.execute(() -> {
      Member m = members.get(key);
      if (m != null && m.punches != null && m.punches.upgrading(c)) {
        return; // the punch closes the relayed connection it replaces; RoomPunches decides when it ends
      }
      lost(key, c);
    }));
  }

  // A peer's connection closed: it dropped (or was the duplicate of a call still arriving). The smaller key calls
  // again at once, the larger waits for that call first; one that closes soon after (it is full, say) is called
  // again with the doubling pause, not at once.
  private void lost(PublicKey key, AgentConnection c) {
    if (peers.remove(key, c) && !closed) {
      peersChanged();
      onPeerGone.accept(key);
      Member m = members.get(key);
      if (m != null) {
        long now = scheduler.clock().epochMillis();
        m.failures = now - m.connectedAt > options.retryMax().toMillis() ? 1 : m.failures + 1;
        m.waitingSince = now;
        retryLater(key, m);
      }
    }
  }
}
