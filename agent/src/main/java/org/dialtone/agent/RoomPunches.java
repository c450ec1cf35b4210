package org.dialtone.agent;

import java.util.function.Consumer;
import java.util.function.Predicate;
import org.dialtone.dht.time.Scheduler;

/**
 * A room's punches ({@link NumberSwarm}, {@link JoinOptions#punch()}): moves a relayed connection the room dialled
 * to a punched path while the room keeps using it, and tries a punch again later when it was refused for bounds or
 * found no path, since a room punches with every NATed member at once, more than the wide-punch guard allows
 * together. One per member; all calls on the room's scheduler thread.
 */
final class RoomPunches {
  /**
   * Punches {@linkplain PunchResult.Outcome#worthRetrying() worth retrying} are tried again this often at most:
   * after 10, 20, 30, 40 s. Besides the bounds' refusals, that includes a punch that found no path within its
   * budget, or whose path QUIC could not use (the two sides of a birthday punch settling on different sockets):
   * another try draws new ports and sockets.
   */
  static final int RETRIES = 4;
  static final long RETRY_MILLIS = 10_000; // the last retry comes after a host's 40 s punch deadline has passed

  private final Agent agent;
  private final Scheduler scheduler;
  private final Predicate<AgentConnection> holds;
  private final Consumer<AgentConnection> punched;
  private final Consumer<AgentConnection> lost;
  private final Consumer<PunchResult> onResult;
  private AgentConnection upgrading;
  private int refusals;

  /**
   * @param holds true while a relayed connection is still the room's connection to this member (not closed, left
   *     or replaced)
   * @param punched takes a punched connection that replaces the relayed one
   * @param lost told when the relayed connection closed while its punch ran (the room's close handler leaves that to
   *     the punch)
   * @param onResult told how each punch ended
   */
  RoomPunches(Agent agent, Scheduler scheduler, Predicate<AgentConnection> holds, Consumer<AgentConnection> punched,
      Consumer<AgentConnection> lost, Consumer<PunchResult> onResult) {
    this.agent = agent;
    this.scheduler = scheduler;
    this.holds = holds;
    this.punched = punched;
    this.lost = lost;
    this.onResult = onResult;
  }

  /** True while {@code c} is being moved to a punched path: its close is the punch's doing, not a loss. */
  boolean upgrading(AgentConnection c) {
    return upgrading == c;
  }

  /** Tries to move {@code relayed} to a punched path, keeping it meanwhile. */
  void start(AgentConnection relayed) {
    upgrading = relayed;
    agent.punch(relayed).whenComplete((r, e) -> scheduler.execute(() -> {
      if (upgrading == relayed) {
        upgrading = null;
      }
      if (e == null) {
        onResult.accept(r);
      }
      if (e == null && r.punched()) {
        punched.accept(r.connection());
      } else if (relayed.closed().isDone()) {
        lost.accept(relayed); // it closed while the punch ran (the peer left, say)
      } else if (e == null && r.outcome().worthRetrying() && refusals++ < RETRIES) {
        scheduler.schedule(RETRY_MILLIS * refusals, () -> {
          if (upgrading == null && holds.test(relayed)) {
            start(relayed);
          }
        });
      }
    }));
  }
}
