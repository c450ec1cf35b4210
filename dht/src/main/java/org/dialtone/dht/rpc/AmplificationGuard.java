package org.dialtone.dht.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.dialtone.dht.net.PeerAddress;

/**
 * The anti-amplification rule of QUIC (RFC 9000, section 8.1) for a UDP DHT: until an address has proven that it
 * receives what is sent to it, everything sent to it is at most {@link #FACTOR} times the bytes received from it.
 * Without this, anyone could forge a victim's source address on a 42-byte FIND_NODE and have a node fire a 900-byte
 * NODES reply, and a few retransmitted challenge PINGs, at the victim.
 *
 * <p>An address proves it receives by completing a round trip: it answers a request this node sent it (a response
 * matched on transaction id and address, {@link #markProven}), or it presents a write token this node handed to it.
 * The node holds its replies and the PINGs that follow up on a request ({@link Rpc#sendFollowUp}) to this rule; its
 * own requests are not held to it: they are not answers an attacker can aim, and lookups bound them separately.
 *
 * <p>Bounded: at most {@code maxTracked} unproven and {@code maxTracked} proven addresses, the least recently used
 * forgotten first. Forgetting an unproven address forgets what it was sent and what it sent alike, so the ratio over
 * each tracked lifetime, and so over all of them, stays within the factor. Forgetting a proven one only means its
 * next replies are held to the factor until it completes another round trip. Plain object; time comes in;
 * single-threaded.
 */
public final class AmplificationGuard {
  /** What a node may send to an unproven address, as a multiple of what it received from it. */
  public static final int FACTOR = 3;
  /** Addresses tracked by default, in each of the two maps. */
  public static final int DEFAULT_MAX_TRACKED = 10_000;
  /** How long a round trip keeps an address proven by default: ten minutes. */
  public static final long DEFAULT_PROVEN_MILLIS = 600_000;

  private final long provenMillis;
  private final Map<PeerAddress, Credit> unproven;
  private final Map<PeerAddress, Long> provenUntil;

  /** A guard tracking at most {@code maxTracked} addresses of each kind; a proof lasts {@code provenMillis}. */
  public AmplificationGuard(int maxTracked, long provenMillis) {
    if (maxTracked < 1 || provenMillis < 1) {
      throw new IllegalArgumentException("maxTracked and provenMillis must be positive");
    }
    this.provenMillis = provenMillis;
    this.unproven = lru(maxTracked);
    this.provenUntil = lru(maxTracked);
  }

  /** A guard with the defaults: 10,000 addresses of each kind, proofs kept ten minutes. */
  public static AmplificationGuard defaults() {
    return new AmplificationGuard(DEFAULT_MAX_TRACKED, DEFAULT_PROVEN_MILLIS);
  }

  /** {@code bytes} arrived from {@code from}: its allowance grows by {@link #FACTOR} times that, unless proven. */
  public void onReceived(PeerAddress from, int bytes, long nowMillis) {
    Objects.requireNonNull(from, "from");
    if (isProven(from, nowMillis)) {
      return;
    }
    unproven.computeIfAbsent(from, a -> new Credit()).received += bytes;
  }

  /** {@code address} completed a round trip: nothing sent to it is limited for a while. */
  public void markProven(PeerAddress address, long nowMillis) {
    provenUntil.put(Objects.requireNonNull(address, "address"), nowMillis + provenMillis);
    unproven.remove(address);
  }

  /** True when {@code address} completed a round trip recently enough. */
  public boolean isProven(PeerAddress address, long nowMillis) {
    Long until = provenUntil.get(address);
    if (until == null) {
      return false;
    }
    if (until <= nowMillis) {
      provenUntil.remove(address);
      return false;
    }
    return true;
  }

  /**
   * The bytes that may still be sent to {@code to}: {@link Integer#MAX_VALUE} when it is proven or was never heard
   * from, else {@link #FACTOR} times what it sent minus what it was sent (never negative).
   */
  public int allowance(PeerAddress to, long nowMillis) {
    Credit c = unproven.get(to);
    if (c == null || isProven(to, nowMillis)) {
      return Integer.MAX_VALUE;
    }
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, (long) FACTOR * c.received - c.sent));
  }

  /**
   * Charges a datagram of {@code bytes} to {@code to} if its allowance covers it. False means it must not be sent:
   * the allowance is unchanged.
   */
  public boolean trySend(PeerAddress to, int bytes, long nowMillis) {
    Credit c = unproven.get(to);
    if (c == null || isProven(to, nowMillis)) {
      return true;
    }
    if ((long) FACTOR * c.received - c.sent < bytes) {
      return false;
    }
    c.sent += bytes;
    return true;
  }

  /** Unproven addresses tracked now. */
  public int unprovenTracked() {
    return unproven.size();
  }

  /** Proven addresses remembered now (some possibly expired). */
  public int provenTracked() {
    return provenUntil.size();
  }

  private static <V> Map<PeerAddress, V> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<PeerAddress, V> eldest) {
        return size() > max;
      }
    };
  }

  private static final class Credit {
    long received;
    long sent;
  }
}
