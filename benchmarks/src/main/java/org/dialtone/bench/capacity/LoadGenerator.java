package org.dialtone.bench.capacity;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.dialtone.bench.report.Stats;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.DecodeException;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;

/**
 * Offers requests to one UDP target at a fixed rate (open loop: a slow target does not slow the offer, as it would not
 * slow a real network) from many client sockets, each bound to its own loopback address in its own /24, and measures
 * what comes back. Requests are encoded before a step starts, so the generator's own cost per request is a send and a
 * receive; a reply is matched to its request by transaction id.
 *
 * <p>Not thread-safe: one step at a time.
 */
final class LoadGenerator implements AutoCloseable {
  /** The request a step sends. */
  enum Op {
    FIND_NODE,
    FIND_VALUE,
    STORE
  }

  /**
   * One step's figures: requests sent in the measured window, replies to them, and the target's cost over it.
   *
   * @param errors replies that were an ERROR (refused), counted in {@code answered} too
   */
  record Step(
      Op op,
      int offeredPerSecond,
      long sent,
      long answered,
      long errors,
      double servedPerSecond,
      double lossPercent,
      double p50Millis,
      double p99Millis,
      double targetCpuMicrosPerRequest,
      double targetBytesAllocatedPerRequest) {}

  /** Distinct transaction ids in flight; a reply later than this many requests is matched to a newer one. */
  private static final int POOL = 1 << 16;
  private static final int STORE_POOL = 1 << 14;
  /** Keys the FIND_VALUE step asks for, stored on the target before the steps. */
  private static final int VALUE_KEYS = 256;
  private static final int RECORDS_PER_KEY = 4; // one per publisher
  private static final long NOT_COUNTED = Long.MIN_VALUE;

  private final InetSocketAddress target;
  private final List<DatagramChannel> clients = new ArrayList<>();
  private final Blob[] tokens;
  private final Random random;
  /** One publisher per record under a FIND_VALUE key (a publisher holds one record per key). */
  private final Identity[] publishers = {Identity.generate(), Identity.generate(), Identity.generate(),
      Identity.generate()};
  private final List<NodeId> valueKeys = new ArrayList<>();
  private final byte[] receiveBuffer = new byte[Message.MAX_DATAGRAM_BYTES + 64];
  /** The first transaction id of the next step: each step has ids of its own, so a late reply never counts twice. */
  private long nextTxId = 1L << 32;

  /** {@code clientCount} sockets on 127.(1 + i/256).(i % 256).1, each its own /24. */
  LoadGenerator(InetSocketAddress target, int clientCount, long seed) throws IOException {
    if (clientCount < 1 || clientCount > 256 * 254) {
      throw new IllegalArgumentException("clients must be 1.." + 256 * 254 + ", got " + clientCount);
    }
    this.target = target;
    this.random = new Random(seed);
    this.tokens = new Blob[clientCount];
    for (int i = 0; i < clientCount; i++) {
      DatagramChannel ch = DatagramChannel.open();
      ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
      ch.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
      ch.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, (byte) (1 + i / 256), (byte) (i % 256), 1}),
          0));
      ch.configureBlocking(false);
      clients.add(ch);
    }
  }

  /**
   * Asks the target for a write token from every client and stores the records that FIND_VALUE reads. Against an
   * echo there are no tokens: STORE then carries an empty one (the echo does not look).
   */
  void prepare(boolean dhtTarget) throws IOException {
    Arrays.fill(tokens, Blob.of(new byte[0]));
    if (!dhtTarget) {
      for (int k = 0; k < VALUE_KEYS; k++) {
        valueKeys.add(NodeId.random(random));
      }
      return;
    }
    for (int i = 0; i < clients.size(); i++) {
      Message reply = ask(clients.get(i), new Message.FindNode(i, Optional.empty(), Optional.empty(),
          NodeId.random(random)));
      if (reply instanceof Message.Nodes nodes) {
        tokens[i] = nodes.token();
      } else {
        throw new IOException("client " + i + " got no token: " + reply);
      }
    }
    for (int k = 0; k < VALUE_KEYS; k++) {
      NodeId key = NodeId.random(random);
      valueKeys.add(key);
      for (int r = 0; r < RECORDS_PER_KEY; r++) {
        int c = (k * RECORDS_PER_KEY + r) % clients.size();
        Message reply = ask(clients.get(c), new Message.Store(k * RECORDS_PER_KEY + r, Optional.empty(), tokens[c],
            record(publishers[r], key, 180)));
        if (!(reply instanceof Message.StoreAck)) {
          throw new IOException("the target did not store a record for FIND_VALUE: " + reply);
        }
      }
    }
  }

  /** A request and its reply, one at a time, retried on loss (setup only). */
  private Message ask(DatagramChannel ch, Message request) throws IOException {
    byte[] bytes = MessageCodec.encode(request);
    for (int attempt = 0; attempt < 20; attempt++) {
      ch.send(ByteBuffer.wrap(bytes), target);
      long deadline = System.nanoTime() + 250_000_000L;
      while (System.nanoTime() < deadline) {
        ByteBuffer in = ByteBuffer.wrap(receiveBuffer);
        if (ch.receive(in) != null) {
          try {
            Message m = MessageCodec.decode(Arrays.copyOf(receiveBuffer, in.position()));
            if (m.txId() == request.txId()) {
              return m;
            }
          } catch (DecodeException e) {
            throw new IOException("undecodable reply in setup: " + e.getMessage(), e);
          }
        } else {
          LockSupport.parkNanos(200_000);
        }
      }
    }
    throw new IOException("no reply from " + target + " to " + request.type() + " in 20 tries");
  }

  private SignedRecord record(Identity publisher, NodeId key, int payloadBytes) {
    byte[] payload = new byte[payloadBytes];
    random.nextBytes(payload);
    return SignedRecord.sign(publisher, key, 1, 1, System.currentTimeMillis() / 1000 + 3600, payload);
  }

  /** The datagrams a step sends, the i-th with transaction id {@code base + i}, from client i % clients. */
  private byte[][] encode(Op op, long base) {
    int n = op == Op.STORE ? STORE_POOL : POOL;
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      Message m = switch (op) {
        case FIND_NODE -> new Message.FindNode(base + i, Optional.empty(), Optional.empty(), NodeId.random(random));
        case FIND_VALUE -> new Message.FindValue(base + i, Optional.empty(), Optional.empty(),
            valueKeys.get(random.nextInt(valueKeys.size())), 0, false);
        case STORE -> new Message.Store(base + i, Optional.empty(), tokens[i % clients.size()],
            record(publishers[0], NodeId.random(random), 100));
      };
      out[i] = MessageCodec.encode(m);
    }
    return out;
  }

  /**
   * Offers {@code op} at {@code perSecond} for {@code warmupMillis + measureMillis}; figures cover requests sent in
   * the measured window and the replies to them that arrive by {@code drainMillis} after it.
   */
  Step run(Op op, int perSecond, long warmupMillis, long measureMillis, long drainMillis,
      Supplier<TargetStats> targetStats) throws Exception {
    long base = nextTxId;
    byte[][] datagrams = encode(op, base);
    int n = datagrams.length;
    nextTxId += n;
    // the send time of request i while it is in the measured window and unanswered, else NOT_COUNTED
    AtomicLongArray sentAt = new AtomicLongArray(n);
    for (int i = 0; i < n; i++) {
      sentAt.set(i, NOT_COUNTED);
    }
    long[] latencies = new long[(int) Math.min(Integer.MAX_VALUE - 8, (long) perSecond * measureMillis / 1000 + 1024)];
    long[] answeredErrors = new long[2];
    int[] latencyCount = {0};
    AtomicBoolean receiving = new AtomicBoolean(true);

    Selector selector = Selector.open();
    for (DatagramChannel ch : clients) {
      ch.register(selector, SelectionKey.OP_READ);
    }
    Thread receiver = new Thread(() -> {
      ByteBuffer in = ByteBuffer.wrap(receiveBuffer);
      try {
        while (receiving.get()) {
          if (selector.select(20) == 0) {
            continue;
          }
          long now = System.nanoTime();
          for (SelectionKey key : selector.selectedKeys()) {
            DatagramChannel ch = (DatagramChannel) key.channel();
            in.clear();
            while (ch.receive(in) != null) {
              onReply(Arrays.copyOf(receiveBuffer, in.position()), now, base, sentAt, latencies, latencyCount,
                  answeredErrors);
              in.clear();
            }
          }
          selector.selectedKeys().clear();
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, "receiver");
    receiver.start();

    long start = System.nanoTime();
    long windowStart = start + warmupMillis * 1_000_000;
    long windowEnd = windowStart + measureMillis * 1_000_000;
    TargetStats before = null;
    long sent = 0;
    long sentInWindow = 0;
    ByteBuffer out = ByteBuffer.allocateDirect(Message.MAX_DATAGRAM_BYTES);
    while (true) {
      long now = System.nanoTime();
      if (now >= windowEnd) {
        break;
      }
      if (before == null && now >= windowStart) {
        before = targetStats.get();
      }
      long due = (now - start) * perSecond / 1_000_000_000L;
      if (sent >= due) {
        LockSupport.parkNanos(20_000);
        continue;
      }
      while (sent < due) {
        int i = (int) (sent % n);
        boolean inWindow = now >= windowStart;
        sentAt.set(i, inWindow ? System.nanoTime() : NOT_COUNTED);
        out.clear();
        out.put(datagrams[i]).flip();
        clients.get((int) (sent % clients.size())).send(out, target);
        sent++;
        if (inWindow) {
          sentInWindow++;
        }
      }
    }
    TargetStats after = targetStats.get();
    long drainUntil = System.nanoTime() + drainMillis * 1_000_000;
    while (System.nanoTime() < drainUntil) {
      LockSupport.parkNanos(10_000_000); // a fixed grace period for late replies, part of the measurement
    }
    receiving.set(false);
    receiver.join();
    selector.close();

    long answered;
    long errors;
    int count;
    synchronized (answeredErrors) {
      answered = answeredErrors[0];
      errors = answeredErrors[1];
      count = latencyCount[0];
    }
    long[] sorted = Arrays.copyOf(latencies, count);
    Arrays.sort(sorted);
    TargetStats spent = before == null ? null : after.minus(before);
    double requests = spent == null || spent.datagramsIn() == 0 ? Double.NaN : spent.datagramsIn();
    return new Step(op, perSecond, sentInWindow, answered, errors,
        answered * 1000.0 / measureMillis,
        sentInWindow == 0 ? 0 : 100.0 * (sentInWindow - answered) / sentInWindow,
        count == 0 ? Double.NaN : Stats.percentile(sorted, 50) / 1e6,
        count == 0 ? Double.NaN : Stats.percentile(sorted, 99) / 1e6,
        spent == null ? Double.NaN : spent.cpuNanos() / 1000.0 / requests,
        spent == null ? Double.NaN : spent.allocatedBytes() / requests);
  }

  private static void onReply(byte[] datagram, long now, long base, AtomicLongArray sentAt, long[] latencies,
      int[] latencyCount, long[] answeredErrors) {
    Message m;
    try {
      m = MessageCodec.decode(datagram);
    } catch (DecodeException e) {
      return;
    }
    long tx = m.txId() - base;
    if (tx < 0 || tx >= sentAt.length()) {
      return; // a reply to another step's request
    }
    long sent = sentAt.getAndSet((int) tx, NOT_COUNTED); // one reply per request
    if (sent == NOT_COUNTED) {
      return;
    }
    synchronized (answeredErrors) {
      answeredErrors[0]++;
      if (m instanceof Message.ErrorReply) {
        answeredErrors[1]++;
      }
      if (latencyCount[0] < latencies.length) {
        latencies[latencyCount[0]++] = now - sent;
      }
    }
  }

  @Override
  public void close() throws IOException {
    for (DatagramChannel ch : clients) {
      ch.close();
    }
  }
}
