package org.dialtone.node.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The STUN codec: round trips, sizes that bound amplification, and every kind of bad input a typed error. */
class StunMessageProperties {
  @Property
  void aSuccessResponseCarriesTheAddressItWasSeenFrom(@ForAll @Size(12) byte[] tx, @ForAll("addresses")
      InetSocketAddress from) throws Exception {
    StunMessage request = StunMessage.parseBindingRequest(StunMessage.bindingRequest(tx));
    assertArrayEquals(tx, request.transactionId());
    assertTrue(request.fingerprinted());
    byte[] reply = request.successResponse(from);
    assertEquals(from, StunMessage.mappedAddress(reply));
    assertArrayEquals(tx, java.util.Arrays.copyOfRange(reply, 8, 20), "the reply echoes the transaction id");
    assertEquals(from.getAddress().getAddress().length == 4 ? 40 : 52, reply.length);
    assertTrue(reply.length <= 3 * StunMessage.HEADER_BYTES, "within 3x of the smallest request");
  }

  @Property
  void randomBytesAreOnlyEverATypedError(@ForAll @Size(max = 200) byte[] noise) {
    try {
      StunMessage.parseBindingRequest(noise);
    } catch (StunException e) {
      assertTrue(e.reason() != null);
    }
  }

  @Property
  void everyFlippedBitOfAFingerprintedRequestIsCaughtOrHarmless(@ForAll @Size(12) byte[] tx,
      @ForAll @IntRange(min = 0, max = 28 * 8 - 1) int bit) {
    byte[] request = StunMessage.bindingRequest(tx);
    request[bit / 8] ^= (byte) (1 << (bit % 8));
    try {
      StunMessage parsed = StunMessage.parseBindingRequest(request);
      // harmless: only a flip in the FINGERPRINT's type makes it an unknown optional attribute, which is ignored;
      // the message then no longer claims a fingerprint and its transaction id is intact
      assertTrue(bit >= 160 && bit < 176 && !parsed.fingerprinted(), "a flipped bit " + bit + " was accepted");
      assertArrayEquals(tx, parsed.transactionId());
    } catch (StunException expected) {
      // the header checks or the FINGERPRINT catch every other single-bit change
    }
  }

  @Property
  void unknownComprehensionRequiredAttributesGetA420WithinThreeTimesTheRequest(@ForAll @Size(12) byte[] tx,
      @ForAll("unknownTypes") List<Integer> types) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(20 + 8 * types.size());
    b.putShort((short) 1).putShort((short) (8 * types.size())).putInt(StunMessage.MAGIC_COOKIE).put(tx);
    types.forEach(t -> b.putShort(t.shortValue()).putShort((short) 4).putInt(0));
    byte[] request = b.array();
    StunMessage parsed = StunMessage.parseBindingRequest(request);
    assertEquals(types.stream().distinct().limit(StunMessage.MAX_UNKNOWN_LISTED).toList(), parsed.unknownRequired());
    byte[] reply = parsed.unknownAttributesResponse();
    assertTrue(reply.length <= 3 * request.length, reply.length + " bytes for " + request.length);
    assertEquals(0x0111, ByteBuffer.wrap(reply).getShort() & 0xFFFF);
  }

  @Test
  void theMalformedAreNamed() {
    assertEquals(StunException.Reason.TRUNCATED, reason(new byte[10]));
    byte[] dht = new byte[40];
    dht[0] = (byte) 0xA5; // a CBOR map, as a DHT datagram starts
    assertEquals(StunException.Reason.NOT_STUN, reason(dht));
    byte[] request = StunMessage.bindingRequest(new byte[12]);
    byte[] wrongLength = request.clone();
    wrongLength[3] = 12;
    assertEquals(StunException.Reason.TRUNCATED, reason(wrongLength));
    byte[] indication = StunMessage.bindingRequest(new byte[12]);
    indication[1] = 0x11; // a Binding indication
    assertEquals(StunException.Reason.NOT_BINDING_REQUEST, reason(indication));
    ByteBuffer overrun = ByteBuffer.allocate(28);
    overrun.putShort((short) 1).putShort((short) 8).putInt(StunMessage.MAGIC_COOKIE).put(new byte[12])
        .putShort((short) 0x8022).putShort((short) 100);
    assertEquals(StunException.Reason.BAD_ATTRIBUTE, reason(overrun.array()));
  }

  private static StunException.Reason reason(byte[] datagram) {
    return assertThrows(StunException.class, () -> StunMessage.parseBindingRequest(datagram)).reason();
  }

  @Provide
  Arbitrary<InetSocketAddress> addresses() {
    Arbitrary<byte[]> ip = Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4),
        Arbitraries.bytes().array(byte[].class).ofSize(16));
    return net.jqwik.api.Combinators.combine(ip, Arbitraries.integers().between(1, 65535)).as((a, port) -> {
      try {
        return new InetSocketAddress(InetAddress.getByAddress(a), port);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Provide
  Arbitrary<List<Integer>> unknownTypes() {
    return Arbitraries.integers().between(0x0030, 0x7FFF).filter(t -> t != 0x0024 && t != 0x0025)
        .list().ofMinSize(1).ofMaxSize(8);
  }
}
