package org.dialtone.dht.attack;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.dialtone.dht.crypto.ChallengeProof;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.DecodeException;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;
import org.dialtone.dht.wire.RequestPadding;

/**
 * A hand-driven peer on a real UDP socket, for mounting attacks: it sends whatever message it is told to from a
 * loopback address of the test's choosing, counts every byte both ways, and answers PINGs only when told to (an
 * address that never answers stands for a forged source: the victim of a reflection).
 */
final class RawPeer implements AutoCloseable {
  private final DatagramSocket socket;
  private final PeerAddress address;
  private final Identity identity;
  private final boolean answersPings;
  private final LinkedBlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
  private final AtomicLong bytesIn = new AtomicLong();
  private final AtomicLong bytesOut = new AtomicLong();
  private final AtomicLong datagramsIn = new AtomicLong();
  private final Thread reader;

  RawPeer(String ip, Identity identity, boolean answersPings) {
    try {
      this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ip), 0));
    } catch (IOException e) {
      throw new IllegalStateException("cannot bind a UDP socket on " + ip
          + " (the tests need the whole of 127.0.0.0/8 on the loopback interface, as Linux has it)", e);
    }
    this.address = PeerAddress.of(socket.getLocalAddress(), socket.getLocalPort());
    this.identity = identity;
    this.answersPings = answersPings;
    this.reader = new Thread(this::readLoop, "raw-peer-" + address);
    reader.setDaemon(true);
    reader.start();
  }

  PeerAddress address() {
    return address;
  }

  void send(PeerAddress to, Message m) {
    send(to, m, 0);
  }

  /** Sends {@code m} padded to {@code minBytes} as a node pads a first request ({@link RequestPadding}). */
  void send(PeerAddress to, Message m, int minBytes) {
    byte[] bytes = RequestPadding.pad(MessageCodec.encode(m), minBytes);
    try {
      socket.send(new DatagramPacket(bytes, bytes.length, to.toSocketAddress()));
      bytesOut.addAndGet(bytes.length);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends {@code request} and waits for the response with its transaction id; empty after {@code timeoutMillis}. */
  Optional<Message.Response> request(PeerAddress to, Message.Request request, long timeoutMillis) {
    return request(to, request, timeoutMillis, 0);
  }

  /** As {@link #request(PeerAddress, Message.Request, long)}, the request padded to {@code minBytes}. */
  Optional<Message.Response> request(PeerAddress to, Message.Request request, long timeoutMillis, int minBytes) {
    send(to, request, minBytes);
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        Message m = inbox.poll(left, TimeUnit.NANOSECONDS);
        if (m instanceof Message.Response r && r.txId() == request.txId()) {
          return Optional.of(r);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  long bytesIn() {
    return bytesIn.get();
  }

  long bytesOut() {
    return bytesOut.get();
  }

  long datagramsIn() {
    return datagramsIn.get();
  }

  /** Forgets what was received so far. */
  void clear() {
    inbox.clear();
  }

  private void readLoop() {
    byte[] buf = new byte[2048];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        continue;
      }
      bytesIn.addAndGet(p.getLength());
      datagramsIn.incrementAndGet();
      byte[] bytes = java.util.Arrays.copyOf(p.getData(), p.getLength());
      Message m;
      try {
        m = MessageCodec.decode(bytes);
      } catch (DecodeException e) {
        continue;
      }
      if (answersPings && m instanceof Message.Ping ping) {
        PeerAddress from = PeerAddress.of(p.getAddress(), p.getPort());
        send(from, new Message.Pong(ping.txId(), identity.publicKey(),
            ping.challenge().map(ch -> Blob.of(ChallengeProof.sign(identity, ch.toArray()))), from));
      }
      inbox.add(m);
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
