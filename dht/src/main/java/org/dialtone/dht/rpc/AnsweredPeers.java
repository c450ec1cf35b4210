package org.dialtone.dht.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.dialtone.dht.net.PeerAddress;

/**
 * The other side of {@link AmplificationGuard}: the addresses that have recently seen a round trip from this node,
 * because it answered a request of theirs. Such a node holds us proven and answers our requests in full; to any other
 * the node pads the requests that draw large replies ({@link org.dialtone.dht.wire.RequestPadding}), so that the first
 * reply is not cut to three times a bare request.
 *
 * <p>An answer counts for {@code validMillis}, less than the peer's own memory of the proof, so we stop relying on it
 * first. Bounded: at most {@code maxTracked} addresses, the least recently answered forgotten first (forgetting one
 * costs only a padded request). Plain object; time comes in; single-threaded.
 */
public final class AnsweredPeers {
  private final long validMillis;
  private final Map<PeerAddress, Long> answeredAt;

  /** Remembers at most {@code maxTracked} addresses, each for {@code validMillis} after it was last answered. */
  public AnsweredPeers(int maxTracked, long validMillis) {
    if (maxTracked < 1 || validMillis < 1) {
      throw new IllegalArgumentException("maxTracked and validMillis must be positive");
    }
    this.validMillis = validMillis;
    this.answeredAt = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<PeerAddress, Long> eldest) {
        return size() > maxTracked;
      }
    };
  }

  /**
   * The defaults: as many addresses as the guard tracks, each for half of the guard's proof time (a peer running the
   * defaults holds us proven twice as long).
   */
  public static AnsweredPeers defaults() {
    return new AnsweredPeers(AmplificationGuard.DEFAULT_MAX_TRACKED, AmplificationGuard.DEFAULT_PROVEN_MILLIS / 2);
  }

  /** This node sent a reply to {@code address}. */
  public void onAnswered(PeerAddress address, long nowMillis) {
    answeredAt.put(Objects.requireNonNull(address, "address"), nowMillis);
  }

  /** True when this node answered {@code address} within the last {@code validMillis}. */
  public boolean answeredRecently(PeerAddress address, long nowMillis) {
    Long at = answeredAt.get(address);
    if (at == null) {
      return false;
    }
    if (nowMillis - at >= validMillis) {
      answeredAt.remove(address);
      return false;
    }
    return true;
  }

  /** Addresses remembered now (some possibly stale). */
  public int tracked() {
    return answeredAt.size();
  }
}
