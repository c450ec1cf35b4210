package org.dialtone.dht.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.VertxScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real UDP, on 127.0.0.1 only. */
class VertxTransportTest {
  private static final String LOOPBACK = "127.0.0.1";

  private final Vertx vertx = Vertx.vertx();

  /** One received datagram, and whether the handler ran on its scheduler's thread. */
  record Received(PeerAddress from, byte[] bytes, boolean onSchedulerThread) {
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private VertxTransport bind() throws Exception {
    VertxScheduler scheduler = VertxScheduler.create(vertx);
    return VertxTransport.bind(vertx, scheduler, LOOPBACK, 0).get(10, TimeUnit.SECONDS);
  }

  private static BlockingQueue<Received> collect(VertxTransport t) {
    BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    t.onReceive((from, bytes) -> queue.add(new Received(from, bytes, t.scheduler().inThread())));
    return queue;
  }

  private static Received next(BlockingQueue<Received> queue) throws InterruptedException {
    Received r = queue.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no datagram within 10 s");
    }
    return r;
  }

  @Test
  void twoTransportsExchangeDatagramsBothWays() throws Exception {
    VertxTransport a = bind();
    VertxTransport b = bind();
    assertEquals(PeerAddress.parse("127.0.0.1:" + a.localAddress().port()), a.localAddress());
    assertNotEquals(0, a.localAddress().port());
    assertNotEquals(a.localAddress(), b.localAddress());
    BlockingQueue<Received> atA = collect(a);
    BlockingQueue<Received> atB = collect(b);

    byte[] ping = {1, 2, 3};
    a.send(b.localAddress(), ping);
    ping[0] = 9;
    Received r = next(atB);
    assertArrayEquals(new byte[] {1, 2, 3}, r.bytes(), "send copies the bytes");
    assertEquals(a.localAddress(), r.from());
    assertTrue(r.onSchedulerThread(), "the handler runs on the scheduler's thread");

    b.send(r.from(), new byte[] {4, 5});
    Received back = next(atA);
    assertArrayEquals(new byte[] {4, 5}, back.bytes());
    assertEquals(b.localAddress(), back.from());
    assertTrue(back.onSchedulerThread());

    assertEquals(1, a.datagramsReceived());
    assertEquals(1, b.datagramsReceived());
    a.close();
    b.close();
  }

  @Test
  void aThrowingHandlerDoesNotStopLaterDatagrams() throws Exception {
    VertxTransport a = bind();
    VertxTransport b = bind();
    CountDownLatch good = new CountDownLatch(1);
    b.onReceive((from, bytes) -> {
      if (bytes[0] == 0) {
        throw new IllegalStateException("expected in this test");
      }
      good.countDown();
    });
    a.send(b.localAddress(), new byte[] {0});
    a.send(b.localAddress(), new byte[] {0});
    a.send(b.localAddress(), new byte[] {1});
    assertTrue(good.await(10, TimeUnit.SECONDS));
    // The 3 datagrams arrive in order on loopback; the two bad ones were counted before the good one ran.
    assertEquals(2, b.handlerErrors());
    assertEquals(3, b.datagramsReceived());
  }

  @Test
  void deliversADatagramOverTheWireLimitWhole() throws Exception {
    VertxTransport a = bind();
    VertxTransport b = bind();
    BlockingQueue<Received> atB = collect(b);
    byte[] big = new byte[4000];
    big[3999] = 42;
    a.send(b.localAddress(), big);
    assertArrayEquals(big, next(atB).bytes());
  }

  @Test
  void closeIsIdempotentAndSendsAfterCloseAreCounted() throws Exception {
    VertxTransport a = bind();
    VertxTransport b = bind();
    BlockingQueue<Received> atB = collect(b);
    a.send(b.localAddress(), new byte[] {1});
    next(atB);
    CompletableFuture<Long> sent = new CompletableFuture<>();
    // The send completion runs on a's context after the datagram left; read the counter there.
    a.scheduler().execute(() -> sent.complete(a.datagramsSent()));
    assertEquals(1, sent.get(10, TimeUnit.SECONDS));
    a.close();
    a.close();
    a.send(b.localAddress(), new byte[] {2});
    assertEquals(1, a.sendErrors());
  }
}
