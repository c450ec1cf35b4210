package org.dialtone.dht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.junit.jupiter.api.Test;

/** Padding a request: it decodes to the very same message, reaches the size asked for, and never a full datagram more. */
class RequestPaddingTest {
  private static List<Message.Request> requests(long seed) {
    Random random = new Random(seed);
    Identity id = Identity.generate(random);
    byte[] challenge = new byte[Message.CHALLENGE_BYTES];
    random.nextBytes(challenge);
    return List.of(
        new Message.Ping(random.nextLong(), Optional.empty(), Optional.empty()),
        new Message.Ping(random.nextLong(), Optional.of(id.publicKey()), Optional.of(Blob.of(challenge))),
        new Message.FindNode(random.nextLong(), Optional.empty(), Optional.empty(), NodeId.random(random)),
        new Message.FindNode(random.nextLong(), Optional.of(id.publicKey()), Optional.of(Blob.of(challenge)),
            NodeId.random(random)),
        new Message.FindValue(random.nextLong(), Optional.empty(), Optional.of(Blob.of(challenge)),
            NodeId.random(random), random.nextInt(100), random.nextBoolean()));
  }

  @Property(tries = 500)
  void aPaddedRequestDecodesToTheSameMessageAtTheSizeAskedFor(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 1400) int minBytes, @ForAll @IntRange(max = 4) int which)
      throws DecodeException {
    Message.Request request = requests(seed).get(which);
    byte[] plain = MessageCodec.encode(request);
    byte[] padded = RequestPadding.pad(plain, minBytes);
    assertEquals(request, MessageCodec.decode(padded));
    assertTrue(padded.length <= Message.MAX_DATAGRAM_BYTES, "never past a datagram: " + padded.length);
    int wanted = Math.min(minBytes, Message.MAX_DATAGRAM_BYTES - 1);
    if (wanted - plain.length >= 2) {
      assertTrue(padded.length == wanted || padded.length == wanted + 1,
          "asked " + wanted + ", got " + padded.length);
    } else {
      assertArrayEquals(plain, padded, "a request long enough is left alone");
    }
  }

  @Test
  void theFirstContactSizeLetsAFullReplyAndAProvingPingFitThreeTimesTheRequest() {
    int reserve = 70;
    int size = RequestPadding.minRequestBytes(Message.MAX_DATAGRAM_BYTES, 3, reserve);
    assertTrue(3 * size - reserve >= Message.MAX_DATAGRAM_BYTES);
    assertTrue(3 * (size - 1) - reserve < Message.MAX_DATAGRAM_BYTES, "no larger than needed");
  }
}
