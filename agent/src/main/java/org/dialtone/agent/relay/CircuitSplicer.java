package org.dialtone.agent.relay;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketBase;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.reach.relay.CarryResult;
import org.dialtone.agent.reach.relay.Circuit;
import org.dialtone.agent.reach.relay.RelayMessage;
import org.dialtone.agent.reach.relay.RelayResult;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.rpc.RateLimiter;

/**
 * Circuits: a dialler on {@code /relay/<host key hex>} gets a circuit in the book (rate-limited per IP address) that
 * is offered to the host over its reservation socket with a random token; the host takes it on
 * {@code /relay/accept/<token hex>} within the accept timeout, and the two sockets' binary messages are spliced,
 * every byte counted against the circuit's limits (a circuit past its bytes or lifetime is closed on both ends).
 * The relay carries the agents' sealed frames without reading them.
 */
final class CircuitSplicer {
  private static final System.Logger LOG = System.getLogger(CircuitSplicer.class.getName());
  private static final HexFormat HEX = HexFormat.of();

  private final RelayContext relay;
  private final RateLimiter circuitRequests;
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong bytesRelayed = new AtomicLong();

  CircuitSplicer(RelayContext relay, int maxTrackedAddresses) {
    this.relay = relay;
    this.circuitRequests = new RateLimiter(relay.options.circuitRequestsPerSecond(),
        relay.options.circuitRequestBurst(), maxTrackedAddresses);
  }

  /** Circuits spliced so far. */
  long opened() {
    return opened.get();
  }

  /** Bytes forwarded so far, both directions. */
  long bytesRelayed() {
    return bytesRelayed.get();
  }

  /** A dialler for the host whose key is {@code hostHex}: opens a circuit and offers it to the host. */
  void onDialler(ServerWebSocket ws, String hostHex) {
    ws.pause(); // the dialler's hello waits in the socket until the host takes the circuit
    PublicKey host;
    try {
      host = PublicKey.ofHex(hostHex);
    } catch (RuntimeException e) {
      relay.refuse(ws, "BAD_PATH");
      return;
    }
    String ip = ws.remoteAddress().hostAddress();
    PeerAddress from = PeerAddress.of(new InetSocketAddress(ip, ws.remoteAddress().port()));
    String refusal = null;
    boolean bookRefused = false;
    ServerWebSocket reservation = null;
    byte[] token = new byte[RelayMessage.TOKEN_BYTES];
    synchronized (relay) {
      if (!circuitRequests.tryAcquire(PeerAddress.of(new InetSocketAddress(ip, 0)), relay.clock.nanoTime())) {
        refusal = "RATE_LIMITED";
      } else {
        reservation = relay.reserved.get(host);
        RelayResult<Circuit> r = reservation == null ? null
            : relay.book.openCircuit(relay.relayIdentity.publicKey(), from, host);
        if (reservation == null) {
          refusal = "NO_RESERVATION";
        } else if (r instanceof RelayResult.Refused<Circuit> no) {
          refusal = no.reason().name();
          bookRefused = true;
        } else {
          Circuit c = ((RelayResult.Granted<Circuit>) r).value();
          relay.random.nextBytes(token);
          String key = HEX.formatHex(token);
          long timer = relay.vertx.setTimer(relay.options.acceptTimeout().toMillis(), t -> {
            RelayContext.Pending p;
            synchronized (relay) {
              p = relay.pending.remove(key);
              if (p != null) {
                relay.book.close(p.circuit().id());
              }
            }
            if (p != null) {
              relay.refuse(p.dialler(), "ACCEPT_TIMEOUT");
            }
          });
          relay.pending.put(key, new RelayContext.Pending(c, ws, timer));
          ws.closeHandler(v -> {
            synchronized (relay) {
              RelayContext.Pending p = relay.pending.remove(key);
              if (p != null) {
                relay.vertx.cancelTimer(p.timer());
                relay.book.close(p.circuit().id());
              }
            }
          });
        }
      }
    }
    if (refusal != null) {
      if (bookRefused) {
        relay.closeRefused(ws, refusal); // the book counted it
      } else {
        relay.refuse(ws, refusal);
      }
      return;
    }
    relay.send(reservation, new RelayMessage.CircuitOffer(token, observedIp(ip)));
  }

  /**
   * The IP address the relay sees the host whose key is {@code hostHex} at, for the dialler's upgrade answer; empty
   * when the key is not reserved here.
   */
  java.util.Optional<String> observedHost(String hostHex) {
    PublicKey host;
    try {
      host = PublicKey.ofHex(hostHex);
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
    ServerWebSocket reservation;
    synchronized (relay) {
      reservation = relay.reserved.get(host);
    }
    if (reservation == null || reservation.remoteAddress() == null) {
      return java.util.Optional.empty();
    }
    String ip = observedIp(reservation.remoteAddress().hostAddress());
    return ip.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(ip);
  }

  /** An address as the relay's messages carry it: at most 64 bytes, else none (empty). */
  private static String observedIp(String ip) {
    return ip == null || ip.length() > 64 ? "" : ip;
  }

  /** The host takes the circuit offered with {@code tokenHex}: both sockets are spliced. */
  void onAccept(ServerWebSocket ws, String tokenHex) {
    RelayContext.Pending p;
    synchronized (relay) {
      p = relay.pending.remove(tokenHex.toLowerCase(Locale.ROOT));
      if (p != null) {
        relay.vertx.cancelTimer(p.timer());
        opened.incrementAndGet();
        relay.spliced.put(p.circuit().id(), new WebSocketBase[] {p.dialler(), ws});
      }
    }
    if (p == null) {
      relay.refuse(ws, "NO_CIRCUIT");
      return;
    }
    long id = p.circuit().id();
    pipe(p.dialler(), ws, id);
    pipe(ws, p.dialler(), id);
    p.dialler().closeHandler(v -> ended(id, p.dialler(), ws));
    ws.closeHandler(v -> ended(id, ws, p.dialler()));
    p.dialler().resume();
  }

  /** Closes circuits past their lifetime (the book drops expired reservations itself). */
  void expire() {
    List<Circuit> closed;
    synchronized (relay) {
      closed = relay.book.expire();
    }
    for (Circuit c : closed) {
      limit(c.id(), "DURATION_LIMIT", AgentError.RELAY_LIMIT);
    }
  }

  /** Forwards {@code from}'s binary messages to {@code to} within the circuit's limits, pausing while {@code to} is full. */
  private void pipe(WebSocketBase from, WebSocketBase to, long id) {
    from.textMessageHandler(t -> limit(id, "BAD_MESSAGE", AgentError.BAD_HANDSHAKE));
    from.binaryMessageHandler(buf -> {
      CarryResult r;
      synchronized (relay) {
        r = relay.book.carry(id, buf.length());
      }
      switch (r) {
        case CARRIED -> {
          bytesRelayed.addAndGet(buf.length());
          to.writeBinaryMessage(buf);
          if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
          }
        }
        case CLOSED_BYTE_LIMIT -> limit(id, "BYTE_LIMIT", AgentError.RELAY_LIMIT);
        case CLOSED_DURATION -> limit(id, "DURATION_LIMIT", AgentError.RELAY_LIMIT);
        case NO_CIRCUIT -> limit(id, "NO_CIRCUIT", AgentError.RELAY_LIMIT);
      }
    });
  }

  /** One end closed: the other is closed with the same code (an agent's refusal reaches the other agent). */
  private void ended(long id, WebSocketBase closedEnd, WebSocketBase other) {
    synchronized (relay) {
      relay.book.close(id);
      relay.spliced.remove(id);
    }
    Short code = closedEnd.closeStatusCode();
    short forward = code != null && (code >= 4000 && code <= 4999 || code == 1000) ? code
        : AgentError.CLOSED.closeCode();
    if (!other.isClosed()) {
      other.close(forward, closedEnd.closeReason() == null ? "closed" : closedEnd.closeReason());
    }
  }

  private void limit(long id, String why, AgentError code) {
    WebSocketBase[] ends;
    synchronized (relay) {
      relay.book.close(id);
      ends = relay.spliced.remove(id);
    }
    relay.count(why);
    if (ends != null) {
      LOG.log(Level.INFO, "relay circuit {0} closed: {1}", id, why);
      for (WebSocketBase end : ends) {
        if (!end.isClosed()) {
          end.close(code.closeCode(), why);
        }
      }
    }
  }
}
