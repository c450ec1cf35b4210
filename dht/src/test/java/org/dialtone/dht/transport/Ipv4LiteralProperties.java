package org.dialtone.dht.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The receive path's one-pass IPv4 parser accepts exactly the dotted quads (four groups of 1 to 3 digits, each at
 * most 255) and gives their bytes; anything else is refused, so no sender address can be read wrongly.
 */
class Ipv4LiteralProperties {
  private static final Pattern QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  @Property
  void everyAddressRoundTrips(@ForAll @IntRange(max = 255) int a, @ForAll @IntRange(max = 255) int b,
      @ForAll @IntRange(max = 255) int c, @ForAll @IntRange(max = 255) int d) {
    assertArrayEquals(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d},
        VertxTransport.ipv4Bytes(a + "." + b + "." + c + "." + d));
  }

  @Property(tries = 3000)
  void agreesWithTheDefinitionOnNearMisses(@ForAll("nearQuads") String host) {
    Matcher m = QUAD.matcher(host);
    boolean valid = m.matches();
    for (int i = 1; valid && i <= 4; i++) {
      valid = Integer.parseInt(m.group(i)) <= 255;
    }
    if (valid) {
      byte[] expected = new byte[4];
      for (int i = 0; i < 4; i++) {
        expected[i] = (byte) Integer.parseInt(m.group(i + 1));
      }
      assertArrayEquals(expected, VertxTransport.ipv4Bytes(host));
    } else {
      assertThrows(IllegalArgumentException.class, () -> VertxTransport.ipv4Bytes(host), host);
    }
  }

  // Strings of digits, dots and a few strangers, most of them close to a dotted quad.
  @Provide
  Arbitrary<String> nearQuads() {
    return Arbitraries.strings().withChars("0123456789.....:+- a").ofMinLength(0).ofMaxLength(17);
  }
}
