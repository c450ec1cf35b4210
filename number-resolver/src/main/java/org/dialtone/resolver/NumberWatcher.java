package org.dialtone.resolver;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.Watch;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.time.Cancellable;
import org.dialtone.dht.time.Scheduler;
import org.dialtone.resolver.NumberEvent.Type;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;
import org.dialtone.resolver.record.Share;
import org.dialtone.resolver.record.ShareList;

/**
 * Turns the DHT's record notifications for a number's two keys ({@code number:n} and {@code shares:n}) into the
 * seed's events. Keeps who is present, so a renewal is not a new JOINED, and sets a timer per member at its record's
 * expiry: a member whose record lapses without renewal has crashed, and is reported LEFT. Runs on the node's thread.
 */
final class NumberWatcher implements NumberWatch {
  private static final System.Logger LOG = System.getLogger(NumberWatcher.class.getName());
  private static final int MAX_MEMBERS = 4096;

  private final DhtNode node;
  private final Scheduler scheduler;
  private final DialNumber number;
  private final Consumer<NumberEvent> listener;
  private final long graceMillis;
  private final Map<PublicKey, AgentInfo> members = new HashMap<>();
  private final Map<PublicKey, Cancellable> expiries = new HashMap<>();
  private final Map<PublicKey, ShareList> shareLists = new HashMap<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private Watch presenceWatch;
  private Watch sharesWatch;
  private boolean cancelled;

  NumberWatcher(DhtNode node, DialNumber number, Consumer<NumberEvent> listener, Duration grace) {
    this.node = node;
    this.scheduler = node.scheduler();
    this.number = number;
    this.listener = listener;
    this.graceMillis = grace.toMillis();
  }

  /** Subscribes, then learns who is already there without reporting them. Call on the node's thread. */
  void start(CompletableFuture<Roster> initial) {
    try {
      presenceWatch = node.watch(ResolverKeys.number(number), this::onNumberRecord);
      sharesWatch = node.watch(ResolverKeys.shares(number), this::onSharesRecord);
    } catch (RuntimeException e) { // the node's watches are full (OVERLOADED): fail this watch, keep no half of it
      cancel();
      ready.completeExceptionally(ResolverException.of(e));
      return;
    }
    CompletableFuture.allOf(presenceWatch.subscribed(), sharesWatch.subscribed(), initial)
        .whenComplete((v, e) -> scheduler.execute(() -> {
          if (e != null) {
            ready.completeExceptionally(ResolverException.of(e));
            return;
          }
          Roster roster = initial.join();
          for (AgentInfo a : roster.agents()) {
            remember(a);
          }
          for (ShareList s : roster.shares()) {
            shareLists.merge(s.sharer(), s, (old, neu) -> neu.seq() > old.seq() ? neu : old);
          }
          ready.complete(null);
        }));
  }

  @Override
  public DialNumber number() {
    return number;
  }

  @Override
  public CompletableFuture<Void> ready() {
    return ready;
  }

  @Override
  public void cancel() {
    scheduler.execute(() -> {
      cancelled = true;
      if (presenceWatch != null) {
        presenceWatch.cancel();
      }
      if (sharesWatch != null) {
        sharesWatch.cancel();
      }
      expiries.values().forEach(Cancellable::cancel);
      expiries.clear();
    });
  }

  private void onNumberRecord(SignedRecord record) {
    Optional<AgentInfo> decoded = RecordCodec.decodeAgent(record);
    Optional<RecordKind> kind = RecordKind.of(record.kind());
    if (cancelled || decoded.isEmpty() || kind.isEmpty() || !decoded.get().number().equals(number)) {
      return;
    }
    AgentInfo info = decoded.get();
    AgentInfo previous = members.get(info.agent());
    if (kind.get() == RecordKind.LEFT) {
      if (previous != null && info.seq() > previous.seq()) {
        forget(info.agent());
        emit(Type.LEFT, previous, Optional.empty());
      }
      return;
    }
    if (kind.get() != RecordKind.PRESENCE && kind.get() != RecordKind.HOST
        || previous != null && previous.seq() >= info.seq()) {
      return;
    }
    if (previous == null && members.size() >= MAX_MEMBERS) {
      return; // bounded: a number this crowded is followed through discover, not tracked member by member
    }
    remember(info);
    if (previous == null) {
      emit(Type.JOINED, info, Optional.empty());
    }
    boolean hostingChanged = info.role() == Role.HOST && (previous == null || previous.role() != Role.HOST
        || !previous.services().equals(info.services()) || !previous.endpoints().equals(info.endpoints()));
    if (hostingChanged) {
      emit(Type.HOSTING, info, Optional.empty());
    }
  }

  private void onSharesRecord(SignedRecord record) {
    Optional<ShareList> decoded = RecordCodec.decodeShares(record);
    if (cancelled || decoded.isEmpty() || !decoded.get().fromNumber().equals(number)) {
      return;
    }
    ShareList list = decoded.get();
    ShareList previous = shareLists.get(list.sharer());
    if (previous != null && previous.seq() >= list.seq()) {
      return;
    }
    if (previous == null && shareLists.size() >= MAX_MEMBERS) {
      return;
    }
    shareLists.put(list.sharer(), list);
    List<Share> before = previous == null ? List.of() : previous.shares();
    AgentInfo sharer = members.getOrDefault(list.sharer(), new AgentInfo(list.sharer(), list.name(), number,
        Role.MEMBER, List.of(), List.of(), List.of(), List.of(number), list.seq(), 0));
    for (Share s : list.shares()) {
      if (!before.contains(s)) {
        emit(Type.SHARED, sharer, Optional.of(s));
      }
    }
  }

  private void remember(AgentInfo info) {
    AgentInfo known = members.get(info.agent());
    if (known != null && known.seq() >= info.seq()) {
      return;
    }
    members.put(info.agent(), info);
    Cancellable old = expiries.remove(info.agent());
    if (old != null) {
      old.cancel();
    }
    long delay = info.expiresAtSeconds() * 1000 - scheduler.clock().epochMillis() + graceMillis;
    expiries.put(info.agent(), scheduler.schedule(Math.max(0, delay), () -> {
      if (members.get(info.agent()) == info) {
        forget(info.agent());
        emit(Type.LEFT, info, Optional.empty()); // its record lapsed unrenewed: it crashed or lost its network
      }
    }));
  }

  private void forget(PublicKey agent) {
    members.remove(agent);
    Cancellable t = expiries.remove(agent);
    if (t != null) {
      t.cancel();
    }
  }

  private void emit(Type type, AgentInfo agent, Optional<Share> share) {
    if (cancelled) {
      return;
    }
    try {
      listener.accept(new NumberEvent(type, number, agent, share));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "a watch listener on " + number + " threw", e);
    }
  }
}
