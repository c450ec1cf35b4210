package org.dialtone.agent.relay;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketBase;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.reach.relay.Circuit;
import org.dialtone.agent.reach.relay.RelayBook;
import org.dialtone.agent.reach.relay.RelayMessage;
import org.dialtone.agent.reach.relay.RelayWire;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.time.Clock;

/**
 * What the parts of one relay share ({@link ReservationDesk}, {@link DialBack}, {@link CircuitSplicer}): the
 * {@link RelayBook} and the socket tables beside it, all guarded by this object; the refusal counters; and how to
 * answer or refuse a socket. The parts depend on this, never on {@link RelayServer}.
 */
final class RelayContext {
  private static final System.Logger LOG = System.getLogger(RelayContext.class.getName());

  /** A circuit the relay offered to its host, waiting for the host to take it. */
  record Pending(Circuit circuit, ServerWebSocket dialler, long timer) {}

  final Vertx vertx;
  final Clock clock;
  final RelayServerOptions options;
  final RelayBook book;
  final SecureRandom random = new SecureRandom();
  // Diallers are anonymous to the relay (keys are proven end to end, not to us): this key stands for them in the book.
  final Identity relayIdentity = Identity.generate();
  // Guarded by this object, as the book is:
  /** The reservation socket of each reserved host key. */
  final Map<PublicKey, ServerWebSocket> reserved = new HashMap<>();
  /** Circuits offered to their host, by token in hex. */
  final Map<String, Pending> pending = new HashMap<>();
  /** Both ends of each spliced circuit, by circuit id. */
  final Map<Long, WebSocketBase[]> spliced = new HashMap<>();
  private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();

  RelayContext(Vertx vertx, Clock clock, RelayServerOptions options) {
    this.vertx = vertx;
    this.clock = clock;
    this.options = options;
    this.book = new RelayBook(clock, options.limits());
  }

  /** Refusals so far by code, ours and the book's (call holding this object's lock). */
  Map<String, Long> refusals() {
    Map<String, Long> byCode = new HashMap<>();
    refusals.forEach((k, v) -> byCode.put(k, v.get()));
    book.refusals().forEach((k, v) -> byCode.merge(k.name(), v, Long::sum));
    return byCode;
  }

  void send(ServerWebSocket ws, RelayMessage m) {
    if (!ws.isClosed()) {
      ws.writeBinaryMessage(Buffer.buffer(RelayWire.encode(m)));
    }
  }

  /** Counts a refusal by {@code code} and closes {@code ws} with it. */
  void refuse(ServerWebSocket ws, String code) {
    count(code);
    closeRefused(ws, code);
  }

  /** Closes {@code ws} with {@code code} without counting it (the book counted it). */
  void closeRefused(ServerWebSocket ws, String code) {
    LOG.log(Level.DEBUG, "relay refused {0}: {1}", ws.remoteAddress(), code);
    if (!ws.isClosed()) {
      ws.close(AgentError.RELAY_REFUSED.closeCode(), code);
    }
  }

  void count(String code) {
    refusals.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
  }
}
