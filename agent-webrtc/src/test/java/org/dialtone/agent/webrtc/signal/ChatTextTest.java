package org.dialtone.agent.webrtc.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ChatTextTest {
  @Test
  void aBrowsersLineCannotRewriteTheTerminal() {
    assertEquals(Optional.of("hi  [2J there"), ChatText.incoming("hi \u001b[2J there"));
    assertEquals(Optional.empty(), ChatText.incoming("\r\n\t"));
    assertEquals(ChatText.MAX_CHARS, ChatText.incoming("x".repeat(2000)).orElseThrow().length());
  }

  @Test
  void anOutgoingLineIsNotEmptyAndFitsThePage() {
    assertEquals("hello", ChatText.outgoing("hello"));
    assertThrows(IllegalArgumentException.class, () -> ChatText.outgoing(""));
    assertThrows(IllegalArgumentException.class, () -> ChatText.outgoing("x".repeat(ChatText.MAX_CHARS + 1)));
  }

  @Property(tries = 300)
  void whatIsShownHasNoControlCharacters(@ForAll String text) {
    ChatText.incoming(text).ifPresent(l -> {
      assertTrue(l.codePoints().noneMatch(Character::isISOControl), l);
      assertTrue(l.length() <= ChatText.MAX_CHARS);
    });
  }
}
