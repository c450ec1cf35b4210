package org.dialtone.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.api.SignalRefusal;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;
import org.junit.jupiter.api.Test;

/**
 * The SIGNAL message on real UDP sockets on loopback: an envelope goes byte for byte to the named node's handler,
 * which acks or refuses it with a typed code; a node that does not prove the named key never receives the envelope;
 * a refusal to an unproven address stays within three times the request.
 */
class SignalMessageTest {
  private static final DhtConfig CONFIG = DhtConfig.builder().rateLimit(100_000, 100_000).build();

  @Test
  void anEnvelopeArrivesByteForByteAndIsAckedOrRefusedWithItsCode() throws Exception {
    try (LocalTestnet net = LocalTestnet.start(2, CONFIG)) {
      DhtNode from = net.node(0);
      DhtNode to = net.node(1);
      List<byte[]> received = new CopyOnWriteArrayList<>();
      List<PeerAddress> sources = new CopyOnWriteArrayList<>();
      to.onSignals((source, envelope) -> {
        received.add(envelope);
        sources.add(source);
        return envelope[0] == 'X' ? Optional.of(new SignalRefusal(ErrorCode.NOT_ATTACHED, "nobody here"))
            : Optional.empty();
      });
      byte[] envelope = "DTS1 an envelope as its sender signed it, with room for a signature, 64 bytes or more"
          .getBytes();
      assertEquals(Optional.empty(), from.signal(to.publicKey(), to.address(), envelope).get(10, TimeUnit.SECONDS));
      assertArrayEquals(envelope, received.get(0));
      assertEquals(from.address(), sources.get(0));

      Optional<SignalRefusal> refused = from.signal(to.publicKey(), to.address(), "X".repeat(300).getBytes())
          .get(10, TimeUnit.SECONDS);
      assertEquals(ErrorCode.NOT_ATTACHED, refused.orElseThrow().code());
      assertEquals("nobody here", refused.get().message());
    }
  }

  /** A record that names a node's address with another key (a stranger at a victim's address) gets no envelope. */
  @Test
  void anAddressThatDoesNotProveTheNamedKeyNeverReceivesTheEnvelope() throws Exception {
    try (LocalTestnet net = LocalTestnet.start(2, CONFIG)) {
      DhtNode from = net.node(0);
      DhtNode to = net.node(1);
      List<byte[]> received = new CopyOnWriteArrayList<>();
      to.onSignals((source, envelope) -> {
        received.add(envelope);
        return Optional.empty();
      });
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> from.signal(Identity.generate().publicKey(), to.address(), new byte[200]).get(10, TimeUnit.SECONDS));
      assertEquals(ErrorCode.BAD_SIGNATURE, assertInstanceOf(DhtException.class, e.getCause()).code());
      assertTrue(received.isEmpty(), "the envelope went to an address that did not prove the key");
    }
  }

  @Test
  void aNodeWithoutSignalSessionsRefusesAsUnsupported() throws Exception {
    try (LocalTestnet net = LocalTestnet.start(2, CONFIG)) {
      Optional<SignalRefusal> r = net.node(0).signal(net.node(1).publicKey(), net.node(1).address(), new byte[200])
          .get(10, TimeUnit.SECONDS);
      assertEquals(ErrorCode.UNSUPPORTED, r.orElseThrow().code());
    }
  }

  /**
   * A SIGNAL from an address that never proved a round trip (it could be a victim's, spoofed) for a recipient not
   * attached: the refusal is typed and at most three times the request, even for the smallest request there is.
   */
  @Test
  void aRefusalToAnUnprovenAddressStaysWithinThreeTimesTheRequest() throws Exception {
    try (LocalTestnet net = LocalTestnet.start(1, CONFIG);
        DatagramSocket raw = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      DhtNode node = net.node(0);
      node.onSignals((source, envelope) -> Optional.of(new SignalRefusal(ErrorCode.NOT_ATTACHED,
          "x".repeat(Message.MAX_ERROR_MESSAGE_CHARS))));
      raw.setSoTimeout(10_000);
      for (int size : new int[] {Message.MIN_SIGNAL_BYTES, 187, Message.MAX_SIGNAL_BYTES}) {
        byte[] request = MessageCodec.encode(new Message.Signal(size, Optional.empty(), Blob.of(new byte[size])));
        raw.send(new DatagramPacket(request, request.length, node.address().toSocketAddress()));
        byte[] buf = new byte[2048];
        Message in;
        DatagramPacket p;
        do { // the node also pings the address to prove it (a small PING, also within the allowance)
          p = new DatagramPacket(buf, buf.length);
          raw.receive(p);
          in = MessageCodec.decode(Arrays.copyOf(buf, p.getLength()));
        } while (!(in instanceof Message.ErrorReply r && r.txId() == size));
        assertEquals(ErrorCode.NOT_ATTACHED, ((Message.ErrorReply) in).code());
        assertTrue(p.getLength() <= 3 * request.length, "reply " + p.getLength() + " bytes to a request of "
            + request.length);
      }
    }
  }
}
