package org.dialtone.agent.relay;

import io.vertx.core.http.ServerWebSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.reach.relay.RelayMessage;
import org.dialtone.agent.reach.relay.RelayResult;
import org.dialtone.agent.reach.relay.RelayWire;
import org.dialtone.agent.reach.relay.RelayWireException;
import org.dialtone.agent.reach.relay.Reservation;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;

/**
 * The reservation protocol on {@link RelayServer#RESERVE_PATH}: the relay sends a fresh challenge and the address it
 * observed; the host signs the challenge with its key (PROOF), may ask for a {@link DialBack}, and reserves (RESERVE);
 * the socket then stays open and carries circuit offers. Sockets not yet reserved are bounded (twice the reservations
 * the book may hold) and time out; anything out of order or unparsable closes the socket with a counted code.
 */
final class ReservationDesk {
  private final RelayContext relay;
  private final DialBack dialBack;
  private final AtomicLong granted = new AtomicLong();
  private int unprovenSockets; // guarded by relay

  ReservationDesk(RelayContext relay, DialBack dialBack) {
    this.relay = relay;
    this.dialBack = dialBack;
  }

  /** Reservations granted or renewed so far. */
  long granted() {
    return granted.get();
  }

  /** Runs the protocol on a socket opened at the reservation path. */
  void onReserveSocket(ServerWebSocket ws) {
    synchronized (relay) {
      // sockets without a reservation are bounded: twice the reservations a relay may hold, each for
      // proofTimeout + dialBackTimeout at most (proof, an optional dial-back, then RESERVE)
      if (unprovenSockets >= 2 * relay.options.limits().maxReservations()) {
        relay.refuse(ws, "BUSY");
        return;
      }
      unprovenSockets++;
    }
    byte[] nonce = new byte[RelayMessage.NONCE_BYTES];
    relay.random.nextBytes(nonce);
    String observedIp = ws.remoteAddress().hostAddress();
    PeerAddress from = PeerAddress.of(new InetSocketAddress(observedIp, ws.remoteAddress().port()));
    PublicKey[] proven = {null};
    boolean[] counted = {true};
    Runnable proofDone = () -> {
      synchronized (relay) {
        if (counted[0]) {
          counted[0] = false;
          unprovenSockets--;
        }
      }
    };
    long proofTimer = relay.vertx.setTimer(
        relay.options.proofTimeout().plus(relay.options.dialBackTimeout()).toMillis(), t -> {
          if (counted[0]) { // no reservation yet: a socket may not sit here for free
            relay.refuse(ws, proven[0] == null ? "NOT_PROVEN" : "NOT_RESERVED");
          }
        });
    ws.closeHandler(v -> {
      relay.vertx.cancelTimer(proofTimer);
      proofDone.run();
      synchronized (relay) {
        if (proven[0] != null && relay.reserved.get(proven[0]) == ws) {
          relay.reserved.remove(proven[0]);
          relay.book.cancelReservation(proven[0]);
        }
      }
    });
    ws.textMessageHandler(t -> relay.refuse(ws, "BAD_MESSAGE"));
    boolean[] refused = {false};
    ws.binaryMessageHandler(buf -> {
      if (refused[0]) {
        return; // refused once: the socket is closing, later messages change nothing
      }
      RelayMessage m;
      try {
        m = RelayWire.decode(buf.getBytes());
      } catch (RelayWireException e) {
        refused[0] = true;
        relay.refuse(ws, "BAD_MESSAGE");
        return;
      }
      if (m instanceof RelayMessage.Proof p) {
        if (proven[0] != null || !p.key().verify(RelayWire.proofMessage(nonce, p.key()), p.signature())) {
          refused[0] = true;
          relay.refuse(ws, "NOT_PROVEN");
          return;
        }
        proven[0] = p.key();
      } else if (m instanceof RelayMessage.DialBack d && proven[0] != null) {
        dialBack.dialBack(ws, observedIp, d.port(), proven[0]);
      } else if (m instanceof RelayMessage.Reserve && proven[0] != null) {
        if (reserve(ws, proven[0], from)) {
          relay.vertx.cancelTimer(proofTimer);
          proofDone.run();
        }
      } else {
        refused[0] = true;
        relay.refuse(ws, m instanceof RelayMessage.DialBack || m instanceof RelayMessage.Reserve ? "NOT_PROVEN"
            : "BAD_MESSAGE");
      }
    });
    relay.send(ws, new RelayMessage.Challenge(nonce, observedIp));
  }

  /** Reserves or renews; true when granted. */
  private boolean reserve(ServerWebSocket ws, PublicKey key, PeerAddress from) {
    RelayMessage answer;
    ServerWebSocket replaced = null;
    synchronized (relay) {
      RelayResult<Reservation> r = relay.book.reserve(key, from);
      if (r instanceof RelayResult.Granted<Reservation> g) {
        replaced = relay.reserved.put(key, ws);
        granted.incrementAndGet();
        answer = new RelayMessage.Reserved(relay.options.limits().reservationTtlMillis());
      } else {
        answer = new RelayMessage.Refused(((RelayResult.Refused<Reservation>) r).reason().name());
      }
    }
    if (replaced != null && replaced != ws && !replaced.isClosed()) {
      replaced.close(AgentError.CLOSED.closeCode(), "reservation moved"); // the same key reserved again elsewhere
    }
    relay.send(ws, answer);
    return answer instanceof RelayMessage.Reserved;
  }
}
