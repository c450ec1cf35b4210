package org.dialtone.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.VirtualScheduler;
import org.dialtone.dht.transport.Transport;
import org.dialtone.dht.wire.Message;
import org.junit.jupiter.api.Test;

/**
 * {@link Rpc} on a virtual clock: retransmission with the same transaction id and doubling timeouts, a late reply to
 * the first copy still counting, Karn's rule, the adaptive timeout following measured round trips, replies matched on
 * (transaction id, address), and the bound on requests in flight.
 */
class RpcTest {
  private static final PeerAddress PEER = PeerAddress.parse("127.0.0.1:7001");
  private static final PeerAddress OTHER = PeerAddress.parse("127.0.0.1:7002");
  /** The defaults under test: start at 1 s, adapt between 250 ms and 4 s, two retransmissions. */
  private static final Rpc.Config CONFIG = DhtConfig.defaults().rpc();

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final List<Sent> sent = new ArrayList<>();
  private final Rpc rpc = new Rpc(new RecordingTransport(), scheduler, new Random(1), CONFIG);
  private final Identity responder = Identity.generate(new Random(2));
  private long lastTxId;

  record Sent(long atMillis, PeerAddress to, byte[] datagram) {}

  private final class RecordingTransport implements Transport {
    @Override
    public PeerAddress localAddress() {
      return PeerAddress.parse("127.0.0.1:7000");
    }

    @Override
    public void send(PeerAddress to, byte[] datagram) {
      sent.add(new Sent(now(), to, datagram));
    }

    @Override
    public void onReceive(DatagramHandler handler) {}

    @Override
    public void close() {}
  }

  private long now() {
    return scheduler.clock().monotonicMillis();
  }

  private CompletableFuture<Rpc.Reply> ping(PeerAddress to) {
    return rpc.send(to, tx -> {
      lastTxId = tx;
      return new Message.Ping(tx, Optional.empty(), Optional.empty());
    });
  }

  private Message.Pong pong(long txId) {
    return new Message.Pong(txId, responder.publicKey(), Optional.empty(), PEER);
  }

  private static ErrorCode failure(CompletableFuture<?> f) {
    assertTrue(f.isCompletedExceptionally(), "expected a failure");
    CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
    return assertInstanceOf(DhtException.class, e.getCause()).code();
  }

  @Test
  void retransmitsTheSameDatagramWithDoublingTimeoutsThenTimesOut() {
    CompletableFuture<Rpc.Reply> f = ping(PEER);
    scheduler.advance(60_000);
    // first send at 0, retries after 1 s and then 2 s, last wait 4 s (the ceiling)
    assertEquals(List.of(0L, 1_000L, 3_000L), sent.stream().map(Sent::atMillis).toList());
    for (Sent s : sent) {
      assertEquals(PEER, s.to());
      assertArrayEquals(sent.get(0).datagram(), s.datagram(), "a retransmission reuses the transaction id");
    }
    assertEquals(ErrorCode.TIMEOUT, failure(f));
    assertEquals(3, rpc.sent());
    assertEquals(2, rpc.retransmitted());
    assertEquals(1, rpc.timedOut());
    assertEquals(0, rpc.pendingCount());
  }

  @Test
  void theTimeoutComesExactlyAfterTheLastWait() {
    CompletableFuture<Rpc.Reply> f = ping(PEER);
    scheduler.advance(6_999);
    assertFalse(f.isDone(), "timed out before 1 + 2 + 4 s");
    scheduler.advance(1);
    assertEquals(ErrorCode.TIMEOUT, failure(f));
  }

  @Test
  void aLateReplyToTheFirstCopyCompletesTheRequestButIsNotSampled() {
    CompletableFuture<Rpc.Reply> f = ping(PEER);
    scheduler.advance(1_500); // retransmitted at 1 s
    assertTrue(rpc.onResponse(PEER, pong(lastTxId)));
    Rpc.Reply r = f.join();
    assertEquals(2, r.transmissions());
    assertEquals(1_500_000_000L, r.rttNanos());
    assertEquals(CONFIG.initialTimeoutMillis(), rpc.currentTimeoutMillis(),
        "Karn's rule: a reply to a retransmitted request is not a round-trip sample");
    scheduler.advance(60_000);
    assertEquals(2, sent.size(), "nothing sent after the reply");
  }

  @Test
  void theTimeoutAdaptsToMeasuredRoundTripsWithinItsBounds() {
    for (int i = 0; i < 50; i++) { // a slow peer with jitter, within the initial 1 s: 700 to 900 ms round trips
      roundTrip(i % 2 == 0 ? 700 : 900);
    }
    long slow = rpc.currentTimeoutMillis();
    assertTrue(slow > 900 && slow <= CONFIG.maxTimeoutMillis(),
        "timeout " + slow + " ms after 700-900 ms round trips: srtt + 4 rttvar covers the slowest");

    for (int i = 0; i < 50; i++) { // the peer speeds up: 20 ms round trips
      roundTrip(20);
    }
    assertEquals(CONFIG.minTimeoutMillis(), rpc.currentTimeoutMillis(), "fast replies bring it to the floor");

    sent.clear();
    CompletableFuture<Rpc.Reply> lost = ping(PEER);
    scheduler.advance(60_000);
    assertEquals(List.of(0L, 250L, 750L), sent.stream().map(s -> s.atMillis() - sent.get(0).atMillis()).toList(),
        "retransmissions follow the adapted timeout");
    assertEquals(ErrorCode.TIMEOUT, failure(lost));
  }

  /** One request answered after {@code millis} on the first transmission. */
  private void roundTrip(long millis) {
    CompletableFuture<Rpc.Reply> f = ping(PEER);
    scheduler.advance(millis);
    assertTrue(rpc.onResponse(PEER, pong(lastTxId)));
    assertEquals(1, f.join().transmissions(), "answered before the first timeout after " + millis + " ms; timeout "
        + rpc.currentTimeoutMillis() + " ms; sent at " + sent.stream().map(Sent::atMillis).toList());
  }

  @Test
  void aReplyIsMatchedOnTransactionIdAndAddress() {
    CompletableFuture<Rpc.Reply> f = ping(PEER);
    assertFalse(rpc.onResponse(OTHER, pong(lastTxId)), "the right id from the wrong address");
    assertFalse(rpc.onResponse(PEER, pong(lastTxId + 1)), "the wrong id from the right address");
    assertFalse(f.isDone());
    assertEquals(2, rpc.unsolicited());
    assertTrue(rpc.onResponse(PEER, pong(lastTxId)));
    assertTrue(f.isDone() && !f.isCompletedExceptionally());
    assertFalse(rpc.onResponse(PEER, pong(lastTxId)), "a duplicate reply");
    assertEquals(3, rpc.unsolicited());
  }

  @Test
  void requestsInFlightAreBoundedAndCloseFailsThem() {
    Rpc small = new Rpc(new RecordingTransport(), scheduler, new Random(3),
        new Rpc.Config(1_000, 250, 4_000, 2, 4));
    List<CompletableFuture<Rpc.Reply>> inFlight = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      inFlight.add(small.send(PEER, tx -> new Message.Ping(tx, Optional.empty(), Optional.empty())));
    }
    CompletableFuture<Rpc.Reply> fifth = small.send(PEER, tx -> new Message.Ping(tx, Optional.empty(),
        Optional.empty()));
    assertEquals(ErrorCode.OVERLOADED, failure(fifth));
    assertEquals(4, small.pendingCount());
    small.close();
    for (CompletableFuture<Rpc.Reply> f : inFlight) {
      assertEquals(ErrorCode.CLOSED, failure(f));
    }
    assertEquals(0, small.pendingCount());
    int before = sent.size();
    scheduler.advance(60_000);
    assertEquals(before, sent.size(), "no retransmission after close");
  }
}
