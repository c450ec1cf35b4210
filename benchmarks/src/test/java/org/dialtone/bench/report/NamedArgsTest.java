package org.dialtone.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedArgsTest {
  @Test
  void pairsAreReadByName() {
    assertEquals(Map.of("n", "1000", "seed", "7"), NamedArgs.parse(new String[] {"--n", "1000", "--seed", "7"}));
    assertEquals(Map.of(), NamedArgs.parse(new String[0]));
  }

  @Test
  void aMistakeIsNamedNotSkipped() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NamedArgs.parse(new String[] {"--n", "1000", "--seed"}));
    assertEquals("--seed needs a value", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> NamedArgs.parse(new String[] {"n", "1000"}));
    assertEquals("expected --name value, got n", e.getMessage());
  }
}
