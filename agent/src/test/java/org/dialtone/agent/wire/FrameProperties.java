package org.dialtone.agent.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.dialtone.agent.error.AgentException;

class FrameProperties {
  @Property(tries = 200)
  void roundTrips(@ForAll FrameType type, @ForAll @IntRange(min = 0) int stream, @ForAll @Size(max = 300) byte[] body) {
    Frame f = new Frame(type, stream, body);
    assertEquals(f, Frame.decode(f.encode()));
  }

  @Property(tries = 200)
  void garbageIsATypedErrorNeverACrash(@ForAll @Size(max = 40) byte[] junk) {
    try {
      Frame.decode(junk);
    } catch (AgentException e) {
      // MALFORMED_FRAME or FRAME_TOO_LARGE: the connection is closed with that code
    }
  }

  @Property(tries = 5)
  void oversizedIsRefused(@ForAll @IntRange(min = 1, max = 100) int extra) {
    assertThrows(AgentException.class, () -> Frame.decode(new byte[Frame.MAX_ENCODED + extra]));
  }
}
