package org.dialtone.agent.reach.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

class RelayBookTest {
  private final VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
  private final Random random = new Random(11);

  private PublicKey key() {
    return Identity.generate(random).publicKey();
  }

  private static PeerAddress at(int subnet, int host) {
    return PeerAddress.parse("203.0." + subnet + "." + host + ":5000");
  }

  private static RelayRefusal refusal(RelayResult<?> r) {
    return assertInstanceOf(RelayResult.Refused.class, r).reason();
  }

  private static <T> T granted(RelayResult<T> r) {
    @SuppressWarnings("unchecked")
    RelayResult.Granted<T> g = assertInstanceOf(RelayResult.Granted.class, r);
    return g.value();
  }

  @Test
  void oneSubnetMintingKeysCannotTakeEveryReservation() {
    RelayBook book = new RelayBook(time.clock(), RelayLimits.defaults());
    for (int i = 0; i < RelayLimits.DEFAULT_MAX_RESERVATIONS_PER_SUBNET; i++) {
      granted(book.reserve(key(), at(1, i + 1)));
    }
    assertEquals(RelayRefusal.SUBNET_RESERVATIONS_FULL, refusal(book.reserve(key(), at(1, 200))));
    granted(book.reserve(key(), at(2, 1)));
    assertEquals(1L, book.refusals().get(RelayRefusal.SUBNET_RESERVATIONS_FULL));
  }

  @Test
  void reservationsAreBoundedInAllExpireAndRenew() {
    RelayLimits limits = new RelayLimits(true, 3, 8, 60_000, 16, 4, 4, 60_000, 1000);
    RelayBook book = new RelayBook(time.clock(), limits);
    PublicKey first = key();
    granted(book.reserve(first, at(1, 1)));
    granted(book.reserve(key(), at(2, 1)));
    granted(book.reserve(key(), at(3, 1)));
    assertEquals(RelayRefusal.RESERVATIONS_FULL, refusal(book.reserve(key(), at(4, 1))));
    time.advance(30_000);
    Reservation renewed = granted(book.reserve(first, at(5, 1)));
    assertEquals(time.clock().monotonicMillis() + 60_000, renewed.expiresAtMillis());
    assertEquals(3, book.reservations(), "a renewal does not count twice");
    time.advance(30_000);
    assertEquals(List.of(), book.expire());
    assertEquals(1, book.reservations(), "the two not renewed expired");
    assertEquals(RelayRefusal.NO_RESERVATION, refusal(book.openCircuit(key(), at(9, 9), key())));
  }

  @Test
  void circuitsAreBoundedPerPeerPerSubnetAndInAll() {
    RelayLimits limits = new RelayLimits(true, 128, 8, 3_600_000, 5, 2, 3, 60_000, 1000);
    RelayBook book = new RelayBook(time.clock(), limits);
    PublicKey host = key();
    PublicKey other = key();
    PublicKey third = key();
    granted(book.reserve(host, at(1, 1)));
    granted(book.reserve(other, at(2, 1)));
    granted(book.reserve(third, at(3, 1)));
    PublicKey dialler = key();
    assertEquals(RelayRefusal.SELF_CIRCUIT, refusal(book.openCircuit(host, at(1, 1), host)));
    granted(book.openCircuit(dialler, at(10, 1), host));
    granted(book.openCircuit(key(), at(11, 1), host));
    assertEquals(RelayRefusal.PEER_CIRCUITS_FULL, refusal(book.openCircuit(key(), at(12, 1), host)));
    granted(book.openCircuit(key(), at(10, 2), other));
    granted(book.openCircuit(key(), at(10, 3), other));
    assertEquals(RelayRefusal.SUBNET_CIRCUITS_FULL, refusal(book.openCircuit(key(), at(10, 4), third)));
    granted(book.openCircuit(key(), at(13, 1), third));
    assertEquals(RelayRefusal.CIRCUITS_FULL, refusal(book.openCircuit(key(), at(14, 1), third)));
    assertEquals(5, book.circuits());
  }

  @Test
  void aCircuitClosesAtItsByteLimitWithoutForwardingTheExcess() {
    RelayLimits limits = new RelayLimits(true, 128, 8, 3_600_000, 16, 4, 4, 60_000, 1000);
    RelayBook book = new RelayBook(time.clock(), limits);
    PublicKey host = key();
    granted(book.reserve(host, at(1, 1)));
    Circuit c = granted(book.openCircuit(key(), at(2, 1), host));
    assertEquals(CarryResult.CARRIED, book.carry(c.id(), 600));
    assertEquals(CarryResult.CARRIED, book.carry(c.id(), 400));
    assertEquals(1000, book.bytesCarried(c.id()));
    assertEquals(CarryResult.CLOSED_BYTE_LIMIT, book.carry(c.id(), 1));
    assertEquals(CarryResult.NO_CIRCUIT, book.carry(c.id(), 1));
    assertEquals(0, book.circuits());
  }

  @Test
  void aCircuitClosesAtItsLifetime() {
    RelayLimits limits = new RelayLimits(true, 128, 8, 3_600_000, 16, 4, 4, 60_000, 1000);
    RelayBook book = new RelayBook(time.clock(), limits);
    PublicKey host = key();
    granted(book.reserve(host, at(1, 1)));
    Circuit a = granted(book.openCircuit(key(), at(2, 1), host));
    Circuit b = granted(book.openCircuit(key(), at(3, 1), host));
    time.advance(59_999);
    assertEquals(CarryResult.CARRIED, book.carry(a.id(), 10));
    time.advance(1);
    assertEquals(CarryResult.CLOSED_DURATION, book.carry(a.id(), 10));
    assertEquals(List.of(b), book.expire());
    assertEquals(0, book.circuits());
    granted(book.openCircuit(key(), at(2, 1), host));
  }

  @Test
  void anOperatorCanTurnRelayingOff() {
    RelayBook book = new RelayBook(time.clock(), RelayLimits.defaults().disabled());
    PublicKey host = key();
    assertEquals(RelayRefusal.RELAY_DISABLED, refusal(book.reserve(host, at(1, 1))));
    assertEquals(RelayRefusal.RELAY_DISABLED, refusal(book.openCircuit(key(), at(2, 1), host)));
    assertEquals(0, book.reservations());
  }

  @Test
  void limitsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new RelayLimits(true, 0, 8, 1, 1, 1, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new RelayLimits(true, 1, 8, 1, 1, 1, 1, 1, 0));
  }
}
