package org.dialtone.node.lan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.dialtone.node.lan.MdnsCodec.Address;
import org.dialtone.node.lan.MdnsCodec.Packet;
import org.dialtone.node.lan.MdnsCodec.Ptr;
import org.dialtone.node.lan.MdnsCodec.Srv;
import org.dialtone.node.lan.MdnsCodec.Txt;
import org.junit.jupiter.api.Test;

class MdnsCodecTest {
  private static final String TYPE = LanDiscovery.SERVICE_TYPE;

  @Property
  void aResponseDecodesToWhatWasEncoded(@ForAll("labels") String instance, @ForAll @IntRange(min = 0, max = 65535)
      int port, @ForAll @Size(4) byte[] ip, @ForAll @LongRange(min = 0, max = 0xffffffffL) long ttl,
      @ForAll("txt") List<String> txt) throws Exception {
    byte[] data = MdnsCodec.response(TYPE, instance, instance + ".local", port, txt, ip, ttl);
    Packet p = MdnsCodec.decode(data);
    assertTrue(p.response());
    String full = instance.toLowerCase(java.util.Locale.ROOT) + "." + TYPE;
    assertEquals(new Ptr(TYPE, ttl, full), p.records().get(0));
    assertEquals(new Srv(full, ttl, port, instance.toLowerCase(java.util.Locale.ROOT) + ".local"), p.records().get(1));
    assertEquals(new Txt(full, ttl, txt), p.records().get(2));
    assertArrayEquals(ip, ((Address) p.records().get(3)).ip());
  }

  @Test
  void aQueryDecodesToOneQuestion() throws Exception {
    Packet p = MdnsCodec.decode(MdnsCodec.query(TYPE));
    assertFalse(p.response());
    assertEquals(List.of(new MdnsCodec.Question(TYPE, MdnsCodec.TYPE_PTR)), p.questions());
  }

  /** Random bytes and every truncation or bit flip of a valid packet: a typed error or a packet, nothing else. */
  @Property(tries = 2000)
  void anyBytesDecodeOrFailWithATypedError(@ForAll @Size(max = 600) byte[] junk) {
    try {
      MdnsCodec.decode(junk);
    } catch (MdnsFormatException expected) {
      // dropped and counted by the caller
    }
  }

  @Property(tries = 2000)
  void damagedPacketsDecodeOrFailWithATypedError(@ForAll @IntRange(min = 0, max = 400) int cut,
      @ForAll @IntRange(min = 0, max = 400) int flipAt, @ForAll byte flip) {
    byte[] good = MdnsCodec.response(TYPE, "dialtone-0123456789abcdef", "h.local", 7440,
        List.of("txtvers=1", "id=" + "ab".repeat(32)), new byte[] {10, 0, 0, 1}, 120);
    byte[] bad = Arrays.copyOf(good, Math.min(cut, good.length));
    if (bad.length > 0) {
      bad[flipAt % bad.length] ^= flip;
    }
    try {
      MdnsCodec.decode(bad);
    } catch (MdnsFormatException expected) {
      // dropped and counted by the caller
    }
  }

  @Test
  void aCompressionLoopIsRefused() {
    // header: one question whose name is a pointer to itself (offset 12)
    byte[] loop = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 12, 0, 1};
    assertThrows(MdnsFormatException.class, () -> MdnsCodec.decode(loop));
  }

  @Test
  void aBackwardsPointerIsFollowed() throws Exception {
    byte[] q = MdnsCodec.query(TYPE); // name at offset 12
    byte[] two = Arrays.copyOf(q, q.length + 6);
    two[5] = 2; // two questions
    int at = q.length;
    two[at] = (byte) 0xc0;
    two[at + 1] = 12;
    two[at + 3] = 12;
    two[at + 5] = 1;
    Packet p = MdnsCodec.decode(two);
    assertEquals(TYPE, p.questions().get(1).name());
  }

  @Test
  void tooManyRecordsOrAPacketTooLargeAreRefused() {
    byte[] many = {0, 0, (byte) 0x84, 0, 0, 0, 0, 65, 0, 0, 0, 0};
    assertThrows(MdnsFormatException.class, () -> MdnsCodec.decode(many));
    assertThrows(MdnsFormatException.class, () -> MdnsCodec.decode(new byte[MdnsCodec.MAX_PACKET + 1]));
  }

  @Provide
  Arbitrary<String> labels() {
    return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-').ofMinLength(1).ofMaxLength(40);
  }

  @Provide
  Arbitrary<List<String>> txt() {
    return Arbitraries.strings().ascii().ofMaxLength(60).list().ofMaxSize(5);
  }
}
