package org.dialtone.agent;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.dialtone.dht.crypto.PublicKey;

/**
 * The punch sessions an agent runs at once: {@value #MAX_SESSIONS} at most, both roles together, and on the host side
 * one per peer key, so one peer (or a few) cannot hold every session nor keep sockets open without end.
 */
final class PunchSessions {
  /** Punch sessions at once, both roles together. */
  static final int MAX_SESSIONS = 4;
  /** A session's socket lives at most this long unless QUIC came up on it. */
  static final long SESSION_MILLIS = 60_000;

  private final AtomicInteger sessions = new AtomicInteger();
  /** Peers with a host-side punch session now: one each, so one peer cannot hold every session. */
  private final Set<PublicKey> hostPeers = ConcurrentHashMap.newKeySet();

  /** Starts a dialler-side session; false when {@value #MAX_SESSIONS} run already. */
  boolean tryDial() {
    if (sessions.incrementAndGet() > MAX_SESSIONS) {
      sessions.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Ends a dialler-side session. */
  void endDial() {
    sessions.decrementAndGet();
  }

  /** Starts a host-side session for {@code peer}, or says why not. */
  Optional<String> tryHost(PublicKey peer) {
    if (!hostPeers.add(peer)) {
      return Optional.of("one punch at a time per peer");
    }
    if (sessions.incrementAndGet() > MAX_SESSIONS) {
      sessions.decrementAndGet();
      hostPeers.remove(peer);
      return Optional.of("at most " + MAX_SESSIONS + " punches at once");
    }
    return Optional.empty();
  }

  /** Ends {@code peer}'s host-side session (once: the caller guards against a second call). */
  void endHost(PublicKey peer) {
    sessions.decrementAndGet();
    hostPeers.remove(peer);
  }
}
